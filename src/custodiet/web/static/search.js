// Search in a published copy of the atlas: no server answers /search there, so the page
// indexes the documents written at publish time (search-documents.js) with the vendored
// MiniSearch and lists what matches the address's ?q=.
(function () {
  "use strict";
  var form = document.getElementById("static-search");
  var list = document.getElementById("hits");
  var status = document.getElementById("search-status");
  if (!form || !list || !window.MiniSearch || !window.custodietDocuments) { return; }
  var kinds = { vendors: "Vendor", countries: "Country", projects: "Project", deployments: "Deployment", sources: "Source", datasets: "Dataset" };
  var query = new URLSearchParams(window.location.search).get("q") || "";
  form.elements.q.value = query;
  if (!query.trim()) { return; }

  var index = new window.MiniSearch({
    fields: ["title", "text"],
    storeFields: ["title", "text", "kind", "href"],
    searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.15, combineWith: "AND" }
  });
  index.addAll(window.custodietDocuments);
  var hits = index.search(query).slice(0, 100);
  status.textContent = hits.length ? hits.length + (hits.length === 100 ? "+" : "") + " pages match." : "No matches.";
  hits.forEach(function (h) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.className = "hit-about";
    link.href = h.href;
    link.textContent = h.title;
    var kind = document.createElement("span");
    kind.className = "muted";
    kind.textContent = " " + (kinds[h.kind] || h.kind);
    item.appendChild(link);
    item.appendChild(kind);
    if (h.text) {
      item.appendChild(document.createElement("br"));
      var text = document.createElement("span");
      text.textContent = h.text;
      item.appendChild(text);
    }
    list.appendChild(item);
  });
}());
