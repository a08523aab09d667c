// "Use my location" on the contact form: fills the map-point field with the device's
// position ("lat, lon", rounded to about 100 m: the block, not the doorway, is what outreach
// needs, and no more of a person's whereabouts is kept), so a contact on the street is
// placed without typing. Served from
// our own origin (the CSP allows no other script); without JavaScript, or without a
// location, the form works as before and the button stays hidden.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-locate"));
    var holder = button.closest(".locate");
    var status = holder ? holder.querySelector("[data-locate-status]") : null;
    if (!field || !holder) {
      return;
    }
    holder.hidden = false;
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    button.addEventListener("click", function () {
      say("Finding where you are…");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var lat = position.coords.latitude.toFixed(3);
          var lon = position.coords.longitude.toFixed(3);
          field.value = lat + ", " + lon;
          var details = field.closest("details");
          if (details) {
            details.open = true;
          }
          say("Location filled in (to about 100 m).");
          button.disabled = false;
        },
        function () {
          say("Your location is not available: pick a place or type it.");
          button.disabled = false;
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
      );
    });
  });
})();
