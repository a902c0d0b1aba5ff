// Live updates without eval: the page's blocks refresh on the live stream's events
// (hx-trigger="sse:alerts, ..."); a block marked data-live-track="<id>" refreshes only
// for events about that track. htmx asks before each request (htmx:confirm); an event
// about another track is let go here, so the page's Content-Security-Policy needs no
// 'unsafe-eval' for trigger filters.
document.addEventListener("htmx:confirm", function (evt) {
  var elt = evt.detail.elt;
  var track = elt && elt.getAttribute("data-live-track");
  var trigger = evt.detail.triggeringEvent;
  if (!track || !trigger || String(trigger.type).slice(0, 4) !== "sse:") {
    return;
  }
  var about = null;
  try {
    var data = JSON.parse(trigger.detail.data);
    about = data.initiative_id || (data.payload && data.payload.track);
  } catch (e) {
    return; // not JSON: refresh, as before
  }
  if (about != null && String(about) !== track) {
    evt.preventDefault();
  }
});
