/* Birlik: "use my current location" on the incident report form. It only fills the latitude
   and longitude fields, which the person can see, change or clear before sending. */
(function () {
  "use strict";

  function setUp() {
    var button = document.getElementById("use-location");
    var status = document.getElementById("use-location-status");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!button || !latitude || !longitude || !("geolocation" in navigator)) return;
    if (button.dataset.ready) return;
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(5);
          longitude.value = position.coords.longitude.toFixed(5);
          button.disabled = false;
          if (status) status.textContent = "";
        },
        function () {
          button.disabled = false;
          if (status) status.textContent = button.dataset.error;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
