/* Birlik election day: the coordinators' map of polling stations coloured by the state of one
   form's report (missing, reported, conflict, alert).
   Needs no tile server: the base layer is the outline of Azerbaijan served by this site
   (static/geo/azerbaijan.geojson); a tile layer is added only when the site configures one.
   The points come as GeoJSON from the URL in #map-legend's data-points-url. htmx replaces the
   legend every few seconds (and when the filters change); each time, the points are fetched
   again. The map keeps the reader's zoom while polling and refits only when the filters change. */
(function () {
  "use strict";

  if (window.birlikObservationMap) return;
  window.birlikObservationMap = true;

  var COUNTRY = [[38.3, 44.7], [41.95, 50.9]];
  var COLOURS = {
    missing: "#6b7785",
    reported: "#1d6b32",
    conflict: "#d98a00",
    alert: "#a61b1b",
    outline: "#0b5c8e",
    land: "#ffffff"
  };
  // Drawn last, so a red station is never hidden under a grey one.
  var ORDER = { missing: 0, reported: 1, conflict: 2, alert: 3 };
  var current = null;

  // Popups are built from DOM nodes, never from HTML strings, so names cannot inject markup.
  function popupFor(properties) {
    var box = document.createElement("div");
    var heading = document.createElement("strong");
    if (properties.url) {
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.code + " · " + properties.name;
      heading.appendChild(link);
    } else {
      heading.textContent = properties.code + " · " + properties.name;
    }
    box.appendChild(heading);
    var state = document.createElement("div");
    state.textContent = properties.state_label || properties.state;
    box.appendChild(state);
    return box;
  }

  function initMap(element) {
    var hasTiles = Boolean(element.dataset.tileUrl);
    element.hidden = false;
    var map = L.map(element, {
      zoomSnap: 0.5,
      minZoom: 6,
      maxBounds: [[37.3, 43.2], [43.0, 52.4]],
      attributionControl: hasTiles,
      preferCanvas: true // thousands of stations draw fast on one canvas
    });
    map.fitBounds(COUNTRY);
    if (hasTiles) {
      L.tileLayer(element.dataset.tileUrl, {
        maxZoom: 18,
        attribution: element.dataset.tileAttribution || ""
      }).addTo(map);
    }
    // The outline is drawn in SVG in a pane of its own under the overlay pane, where the
    // stations are drawn on a canvas: whichever arrives first, the stations stay on top.
    map.createPane("outline").style.zIndex = 350;
    var state = { map: map, layer: L.layerGroup().addTo(map), url: null, ticket: 0, hasTiles: hasTiles };
    fetch(element.dataset.outlineUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || current !== state) return; // taken down meanwhile
        L.geoJSON(data, {
          interactive: false,
          pane: "outline",
          renderer: L.svg({ pane: "outline" }),
          style: {
            color: COLOURS.outline,
            weight: 1.5,
            fillColor: COLOURS.land,
            fillOpacity: hasTiles ? 0 : 1
          }
        }).addTo(map);
      })
      .catch(function () { /* the stations still show without the outline */ });
    return state;
  }

  function draw(state, data, refit) {
    var features = (data && data.features) || [];
    features = features.slice().sort(function (a, b) {
      return (ORDER[a.properties.state] || 0) - (ORDER[b.properties.state] || 0);
    });
    state.layer.clearLayers();
    var bounds = [];
    features.forEach(function (feature) {
      var point = feature.geometry.coordinates;
      var properties = feature.properties;
      var marker = L.circleMarker([point[1], point[0]], {
        radius: properties.state === "missing" ? 4 : 6,
        color: "#ffffff",
        weight: 1,
        fillColor: COLOURS[properties.state] || COLOURS.missing,
        fillOpacity: 0.9
      });
      marker.bindPopup(popupFor(properties));
      marker.bindTooltip(properties.code);
      state.layer.addLayer(marker);
      bounds.push([point[1], point[0]]);
    });
    var element = state.map.getContainer();
    element.dataset.points = String(features.length);
    // Without animation: htmx may take the map down at any moment (see takeDown), and Leaflet
    // fails when a zoom animation ends on a map that is gone.
    if (refit) {
      if (bounds.length) {
        state.map.fitBounds(bounds, {
          padding: [24, 24],
          maxZoom: state.hasTiles ? 13 : 8,
          animate: false
        });
      } else {
        state.map.fitBounds(COUNTRY, { animate: false });
      }
    }
  }

  function load() {
    var legend = document.getElementById("map-legend");
    var url = legend && legend.dataset.pointsUrl;
    if (!current || !url) return;
    var state = current;
    var refit = state.url !== url;
    state.url = url;
    var ticket = ++state.ticket;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        // An answer overtaken by a newer request, or for a map taken down, is dropped.
        if (data && current === state && ticket === state.ticket) draw(state, data, refit);
      })
      .catch(function () { /* the next refresh tries again */ });
  }

  // htmx keeps a copy of the page for the back button; a Leaflet map cannot live in such a
  // copy, so it is taken down before htmx saves the page and built again afterwards.
  function takeDown() {
    if (current) {
      current.map.stop(); // no pan or zoom left running on a removed map
      current.map.remove();
      current = null;
    }
  }

  function setUp() {
    var element = document.getElementById("observation-map");
    if (current && current.map.getContainer() !== element) takeDown();
    if (element && window.L && !current) current = initMap(element);
    load();
  }

  document.addEventListener("htmx:beforeHistorySave", takeDown);
  document.addEventListener("htmx:historyRestore", setUp);
  document.addEventListener("htmx:afterSettle", function () {
    if (document.getElementById("observation-map")) setUp();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
