// The API page: Swagger UI, vendored, reading this server's OpenAPI document.
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.getAttribute("data-spec"), dom_id: "#swagger-ui" });
}());
