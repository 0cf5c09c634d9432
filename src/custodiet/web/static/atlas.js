// A world map of countries coloured by documented deployments: the atlas's (from
// /index.json) or, given data-source and data-key, a vendor's footprint. No tiles, nothing from
// another host: shapes come from the vendored world-atlas TopoJSON. Addresses come from the
// element's data- attributes, so a published copy of the atlas (static files under any base
// address) points them at its own files.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !window.topojson) { return; }
  var shades = ["#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#eb4a40"];

  function shade(n, most) {
    if (!n) { return "#eef0f2"; }
    var i = Math.min(shades.length - 1, Math.floor((Math.log(n) / Math.log(most + 1)) * shades.length));
    return shades[i];
  }

  // From file:// the browser refuses fetch(); a published copy writes each map file's data
  // beside it as a script (NAME.json.js) that files it under its own address.
  function load(address) {
    if (window.location.protocol !== "file:") {
      return fetch(address).then(function (r) { return r.json(); });
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = address + ".js";
      script.onload = function () { resolve((window.custodietData || {})[script.getAttribute("src")]); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  Promise.all([
    load(el.dataset.source || "/index.json" + window.location.search),
    load(el.dataset.world || "/static/vendor/world-atlas/countries-110m.json")
  ]).then(function (results) {
    var atlas = results[0], world = results[1];
    var byNumeric = {};
    var most = 1;
    (atlas[el.dataset.key || "countries"] || []).forEach(function (c) {
      if (c.numeric) { byNumeric[c.numeric] = c; }
      most = Math.max(most, c.deployments);
    });
    var map = L.map(el, { worldCopyJump: true, attributionControl: false, minZoom: 1 })
      .setView([20, 10], 2);
    var shapes = topojson.feature(world, world.objects.countries);
    var marked = [];
    L.geoJSON(shapes, {
      style: function (f) {
        var c = byNumeric[f.id];
        return { color: "#ffffff", weight: 0.6, fillOpacity: 1, fillColor: shade(c && c.deployments, most) };
      },
      onEachFeature: function (f, layer) {
        var c = byNumeric[f.id];
        var name = (c && c.name) || (f.properties && f.properties.name) || "";
        layer.bindTooltip(name + (c ? ": " + c.deployments + " deployments" : ""));
        if (c) {
          marked.push(layer);
          layer.on("click", function () { window.location.href = (el.dataset.countries || "/countries/") + c.code + (el.dataset.page || ""); });
        }
      }
    }).addTo(map);
    // A footprint shows where the vendor sold: frame those countries, not the world.
    if (el.dataset.key && marked.length) {
      map.fitBounds(L.featureGroup(marked).getBounds(), { maxZoom: 4, padding: [20, 20] });
    }
  });
}());
