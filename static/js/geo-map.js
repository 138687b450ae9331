/* Birlik geography pages: the polling-station map and the "stations near me" button.
   The map needs no tile server: its base layer is a simplified outline of Azerbaijan
   (static/geo/azerbaijan.geojson); a tile layer is added only when the site configures one.
   Points come from the JSON in #station-points, which htmx replaces with each search. */
(function () {
  "use strict";

  // Loaded once per page from <head>; should it run again, the first copy stays in charge.
  if (window.birlikGeoMap) return;
  window.birlikGeoMap = true;

  var COUNTRY = [[38.3, 44.7], [41.95, 50.9]];
  var COLOURS = { outline: "#0b5c8e", land: "#ffffff", station: "#a61b1b", area: "#0b5c8e" };

  function readPoints() {
    var node = document.getElementById("station-points");
    if (!node) return [];
    try {
      return JSON.parse(node.textContent) || [];
    } catch (error) {
      return [];
    }
  }

  // Popups are built from DOM nodes, never from HTML strings, so names cannot inject markup.
  function popupFor(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    var heading = document.createElement("strong");
    heading.appendChild(link);
    box.appendChild(heading);
    if (point.text) {
      var text = document.createElement("div");
      text.textContent = point.text;
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
        maxZoom: 18,
        attribution: element.dataset.tileAttribution || ""
      }).addTo(map);
    }
    var outline = null;
    fetch(element.dataset.outlineUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !current || current.map !== map) return; // taken down meanwhile
        outline = L.geoJSON(data, {
          interactive: false,
          style: {
            color: COLOURS.outline,
            weight: 1.5,
            fillColor: COLOURS.land,
            fillOpacity: hasTiles ? 0 : 1
          }
        }).addTo(map);
        outline.bringToBack();
      })
      .catch(function () { /* the markers and the list still work without the outline */ });

    var markers = L.layerGroup().addTo(map);

    function draw() {
      markers.clearLayers();
      var points = readPoints();
      var bounds = [];
      points.forEach(function (point) {
        var isArea = point.kind === "area";
        var marker = L.circleMarker([point.lat, point.lon], {
          radius: isArea ? 6 : 7,
          color: "#ffffff",
          weight: 1.5,
          fillColor: isArea ? COLOURS.area : COLOURS.station,
          fillOpacity: 0.85
        });
        marker.bindPopup(popupFor(point));
        marker.bindTooltip(point.title);
        markers.addLayer(marker);
        bounds.push([point.lat, point.lon]);
      });
      var searched = points.length && points[0].kind !== "area";
      // Without tiles there is nothing to see up close, so keep the country's shape in view.
      if (points.length === 1 && searched) {
        map.setView(bounds[0], hasTiles ? 16 : 7);
      } else if (searched) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: hasTiles ? 15 : 8 });
      } else {
        map.fitBounds(COUNTRY);
      }
    }

    draw();
    return { map: map, draw: draw };
  }

  var nearMeReady = new WeakSet();

  function initNearMe(button) {
    var status = document.getElementById("near-me-status");
    if (nearMeReady.has(button) || !("geolocation" in navigator)) return;
    nearMeReady.add(button);
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var near = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
          window.location.href = button.dataset.url + "?near=" + encodeURIComponent(near);
        },
        function () {
          button.disabled = false;
          if (status) status.textContent = button.dataset.error;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  // htmx keeps a copy of the page for the back button. A Leaflet map cannot live in such a
  // copy, so it is taken down before htmx saves the page and built again afterwards (and when
  // htmx puts a saved page back, the map element is a new one).
  var current = null;

  function takeDown() {
    if (current) {
      current.map.remove();
      current = null;
    }
  }

  function setUp() {
    var element = document.getElementById("station-map");
    if (current && current.map.getContainer() !== element) takeDown();
    if (element && window.L && !current) current = initMap(element);
    var button = document.getElementById("near-me");
    if (button) initNearMe(button);
  }

  document.addEventListener("htmx:beforeHistorySave", takeDown);
  document.addEventListener("htmx:historyRestore", setUp);
  document.addEventListener("htmx:afterSettle", function (event) {
    var element = document.getElementById("station-map");
    if (!current || current.map.getContainer() !== element) {
      setUp();
    } else if (event.target && event.target.id === "station-results") {
      current.draw();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
