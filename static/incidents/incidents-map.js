/* Birlik: the public map of published incidents. Like the station map (static/js/geo-map.js)
   it needs no tile server: the base layer is the outline of Azerbaijan from
   static/geo/azerbaijan.geojson, and a tile layer is added only when the site configures one.
   The points are the JSON in #incident-points: public fields only, already rounded. */
(function () {
  "use strict";

  if (window.birlikIncidentMap) return;
  window.birlikIncidentMap = true;

  var COUNTRY = [[38.3, 44.7], [41.95, 50.9]];
  var OUTLINE = "#0b5c8e";
  var SEVERITY = { low: "#2f5d3a", medium: "#7a4d00", high: "#a3401b", critical: "#a61b1b" };

  function readPoints() {
    var node = document.getElementById("incident-points");
    if (!node) return [];
    try {
      return JSON.parse(node.textContent) || [];
    } catch (error) {
      return [];
    }
  }

  // Built from DOM nodes, never from HTML strings: the summaries are text, not markup.
  function popupFor(point) {
    var box = document.createElement("div");
    var heading = document.createElement("strong");
    heading.textContent = point.title;
    box.appendChild(heading);
    var meta = document.createElement("p");
    meta.textContent = [point.severity_label, point.date, point.place].filter(Boolean).join(" · ");
    box.appendChild(meta);
    if (point.text) {
      var text = document.createElement("p");
      text.textContent = point.text.length > 280 ? point.text.slice(0, 277) + "…" : point.text;
      box.appendChild(text);
    }
    return box;
  }

  function initMap(element) {
    var hasTiles = Boolean(element.dataset.tileUrl);
    element.hidden = false;
    var map = L.map(element, {
      zoomSnap: 0.5,
      minZoom: 6,
      maxBounds: [[37.3, 43.2], [43.0, 52.4]],
      attributionControl: hasTiles
    });
    map.fitBounds(COUNTRY);
    if (hasTiles) {
      L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 16,
        attribution: element.dataset.tileAttribution || ""
      }).addTo(map);
    }
    fetch(element.dataset.outlineUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        L.geoJSON(data, {
          interactive: false,
          style: { color: OUTLINE, weight: 1.5, fillColor: "#ffffff", fillOpacity: hasTiles ? 0 : 1 }
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the markers and the list still work without the outline */ });

    var bounds = [];
    readPoints().forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: point.severity === "critical" ? 9 : 7,
        color: "#ffffff",
        weight: 1.5,
        fillColor: SEVERITY[point.severity] || OUTLINE,
        fillOpacity: 0.85
      });
      marker.bindPopup(popupFor(point));
      marker.bindTooltip(point.title);
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    // Without tiles there is nothing to see up close: the whole country stays in view. With
    // tiles the map closes in on the incidents shown.
    if (hasTiles && bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
    }
    return map;
  }

  function setUp() {
    var element = document.getElementById("incident-map");
    if (element && window.L && !element.classList.contains("leaflet-container")) initMap(element);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
