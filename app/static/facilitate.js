/* Common Ground, facilitator's session page: nothing typed is lost when the connection drops.
 *
 * Only adds to the page (it works fully without this): the contribution form is intercepted,
 * each contribution is kept in localStorage under its client id until the server has stored it,
 * and is POSTed as JSON (CSRF token in X-CSRFToken) to the form's data-endpoint. The server
 * stores a client id once (201, then 200), so sending again after a lost answer is safe.
 * Retries on the `online` event, on a timer, and after a 503's Retry-After (the database is away:
 * nothing was stored, so the item stays queued). A contribution taken into the queue clears the
 * errors an earlier post of this form left on the page (the summary's lines about it, the inline
 * error and the field's invalid state): what was wrong has been put right. No framework.
 *
 * The section menu: marks the part of the page on screen (aria-current). Plain links do the rest.
 */
(function () {
  "use strict";
  var nav = document.getElementById("fg-nav");
  if (!nav || !window.requestAnimationFrame) { return; }
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
  var sections = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
  var waiting = false;
  // The part just jumped to, until the reader scrolls away from where the jump left them.
  var pinned = null;

  function onScreen() {
    // The part that fills most of the screen below the menu.
    var top = nav.getBoundingClientRect().bottom;
    var best = 0, most = -1;
    sections.forEach(function (section, i) {
      if (!section) { return; }
      var box = section.getBoundingClientRect();
      var shown = Math.min(box.bottom, window.innerHeight) - Math.max(box.top, top);
      if (shown > most) { best = i; most = shown; }
    });
    return best;
  }
  function mark() {
    waiting = false;
    var current = pinned && Math.abs(window.scrollY - pinned.y) < 4 ? pinned.index : -1;
    if (current < 0) {
      pinned = null;
      current = onScreen();
    }
    links.forEach(function (a, i) {
      if (i === current) { a.setAttribute("aria-current", "location"); } else { a.removeAttribute("aria-current"); }
    });
  }
  function later() {
    if (!waiting) { waiting = true; window.requestAnimationFrame(mark); }
  }
  window.addEventListener("scroll", later, {passive: true});
  window.addEventListener("hashchange", function () {
    var index = links.map(function (a) { return a.getAttribute("href"); }).indexOf(location.hash);
    pinned = index < 0 ? null : {index: index, y: window.scrollY};
    later();
  });
  window.addEventListener("resize", later);
  mark();
}());

(function () {
  "use strict";
  var form = document.getElementById("fg-contribution-form");
  if (!form || !window.fetch || !window.localStorage || !window.JSON) { return; }

  var RETRY_MS = 15000;
  var KEY = "cg-facilitate-queue-" + form.getAttribute("data-session");
  var prefix = form.querySelector("[name$=client_id]").name.replace("client_id", "");
  var field = function (name) { return form.elements[prefix + name]; };
  var text = field("text");
  var csrf = field("csrf_token").value;
  var status = document.getElementById("fg-queue-status");
  var pending = document.getElementById("fg-pending");
  var failed = document.getElementById("fg-failed");
  var feed = document.getElementById("fg-feed");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) {
    localStorage.setItem(KEY, JSON.stringify(queue));
    show(queue);
  }
  function show(queue) {
    status.textContent = queue.length ? form.getAttribute("data-waiting").replace("{n}", queue.length) : "";
    pending.textContent = "";
    queue.forEach(function (item) { pending.appendChild(line(item.text)); });
  }
  function line(words) {
    var li = document.createElement("li");
    li.textContent = words;
    return li;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function collect() {
    var kind = form.querySelector("[name='" + prefix + "kind']:checked");
    var themes = form.querySelectorAll("[name='" + prefix + "themes']:checked");
    return {
      client_id: field("client_id").value,
      participant: field("participant").value || null,
      kind: kind ? kind.value : "note",
      text: text.value,
      themes: Array.prototype.map.call(themes, function (box) { return box.value; }),
      lang: field("lang") ? field("lang").value : null
    };
  }

  // The form's earlier errors no longer apply once what it holds is taken.
  function clearErrors() {
    var summary = document.getElementById("fg-error-summary");
    if (summary) {
      Array.prototype.forEach.call(summary.querySelectorAll("li[data-form='contribution']"), function (li) {
        li.parentNode.removeChild(li);
      });
      if (!summary.querySelector("li")) { summary.parentNode.removeChild(summary); }
    }
    Array.prototype.forEach.call(form.querySelectorAll(".error"), function (p) { p.parentNode.removeChild(p); });
    Array.prototype.forEach.call(form.querySelectorAll(".invalid"), function (el) { el.classList.remove("invalid"); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    // The address still names the post that was refused; reloading should show the session, not send it again.
    var page = form.getAttribute("data-page");
    if (page && window.history && history.replaceState && location.pathname !== page) {
      history.replaceState(null, "", page + "#notes");
    }
  }

  function stored(item) {
    var empty = document.getElementById("fg-feed-empty");
    if (empty) { empty.parentNode.removeChild(empty); }
    var li = line(item.text);
    li.className = "fg-said";
    if (item.lang) { li.lang = item.lang.replace("_", "-"); }
    li.dir = "auto";
    feed.insertBefore(li, feed.firstChild);
  }

  // The server will never take it as it is: give the words back (into the empty text box, or
  // listed with the reason) so they can be corrected and saved again.
  function refused(item, body) {
    var errors = (body && body.errors) || {};
    var reason = Object.keys(errors).map(function (k) { return errors[k]; }).join(" ");
    var words = form.getAttribute("data-failed").replace("{reason}", reason);
    if (!text.value.trim()) {
      text.value = item.text;
      failed.appendChild(line(words));
    } else {
      failed.appendChild(line(words + " " + item.text));
    }
  }

  function send() {
    var queue = load();
    if (sending || !queue.length) { return; }
    sending = true;
    var item = queue[0];
    fetch(form.getAttribute("data-endpoint"), {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
      body: JSON.stringify(item)
    }).then(function (response) {
      // 2xx: stored. 422: refused for good. Anything else (signed out, server down): keep it.
      if (response.status === 200 || response.status === 201 || response.status === 422) {
        return response.json().then(function (body) {
          save(load().filter(function (queued) { return queued.client_id !== item.client_id; }));
          if (response.status === 422) { refused(item, body); } else { stored(item); }
          sending = false;
          send();
        });
      }
      sending = false;
      // 503/504: the server is up but its database is not; it says when to try again.
      if (response.status === 503 || response.status === 504) { later(response.headers.get("Retry-After")); }
    }).catch(function () { sending = false; });
  }

  function later(seconds) {
    var wait = Math.min(Math.max(parseInt(seconds, 10) || 30, 1), 300) * 1000;
    if (wait < RETRY_MS) { setTimeout(send, wait); }  // else the timer below comes first
  }

  form.addEventListener("submit", function (event) {
    var item = collect();
    if (!item.text.trim()) { return; }  // let the server say what is missing
    event.preventDefault();
    var queue = load();
    queue.push(item);
    save(queue);
    clearErrors();
    // Ready for the next one, as a fresh page would be: no participant, no themes ticked (the
    // language stays: the next one is most likely in the same).
    text.value = "";
    field("participant").value = "";
    Array.prototype.forEach.call(form.querySelectorAll("[name='" + prefix + "themes']"), function (box) { box.checked = false; });
    field("client_id").value = newId();
    text.focus();
    send();
  });

  window.addEventListener("online", send);
  setInterval(send, RETRY_MS);
  show(load());
  send();
}());
