/* "Find a station near me" on the home page: with the visitor's consent (the browser asks), their position is
   sent once to /api/v1/stations/nearest/ and the 10 nearest stations are listed with their distance. Nothing is
   stored. Without JavaScript or geolocation the section stays hidden and the area finder below is the list. */
(function () {
  "use strict";

  function distanceText(box, metres) {
    if (metres >= 1000) return (metres / 1000).toFixed(metres >= 10000 ? 0 : 1) + " " + box.dataset.km;
    return metres + " " + box.dataset.m;
  }

  function item(box, station) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = station.url;
    link.textContent = station.name;
    var strong = document.createElement("strong");
    strong.appendChild(link);
    li.appendChild(strong);
    var distance = document.createElement("span");
    distance.className = "nearby-distance";
    distance.setAttribute("data-distance-m", station.distance_m);
    distance.textContent = " · " + distanceText(box, station.distance_m);
    li.appendChild(distance);
    var where = document.createElement("div");
    where.className = "muted";
    where.textContent = [station.kind_display, station.area_name, station.address].filter(Boolean).join(" · ");
    li.appendChild(where);
    return li;
  }

  function show(box, stations) {
    var status = box.querySelector("[data-nearby-status]");
    var list = box.querySelector("[data-nearby-list]");
    list.replaceChildren.apply(list, stations.map(function (s) { return item(box, s); }));
    status.textContent = stations.length ? box.dataset.found : box.dataset.empty;
  }

  function find(box) {
    var status = box.querySelector("[data-nearby-status]");
    status.textContent = box.dataset.asking;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var url = box.dataset.api + "?lat=" + pos.coords.latitude.toFixed(6) + "&lng=" + pos.coords.longitude.toFixed(6);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) {
            if (!r.ok) throw new Error(r.status);
            return r.json();
          })
          .then(function (body) { show(box, body.results || []); })
          .catch(function () { status.textContent = box.dataset.failed; });
      },
      function () { status.textContent = box.dataset.denied; },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("nearby");
    if (!box || !("geolocation" in navigator) || !window.fetch) return;
    box.hidden = false;
    box.addEventListener("click", function (event) {
      if (event.target.closest("[data-nearby-find]")) find(box);
    });
  });
})();
