// The appointment page's script, a static asset so the page can forbid inline scripts (CSP). Each
// button press carries its own Idempotency-Key: a double click or a retry cannot act twice. After a
// change the page reloads, so what the patient sees is always what the server holds.
export const APPOINTMENT_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('appointment');
  if (!root) return;
  var base = '/a/' + encodeURIComponent(root.getAttribute('data-token')) + '/api';
  var text = JSON.parse(document.getElementById('page-text').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var chosen = null;
  var moveKey = null;
  var newKey = function () {
    return 'link-' + (self.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  };

  function say(message) { $('error').textContent = message; $('error').hidden = !message; }

  function post(path, key, body) {
    return fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (b) { return { status: res.status, body: b }; });
    });
  }

  // One key per press; the button stays disabled until the answer, so a double click sends once and a
  // retry after a lost answer replays it.
  function action(button, path, bodyOf, keyOf) {
    var key = null;
    button.addEventListener('click', function () {
      key = keyOf ? keyOf() : key || newKey();
      button.disabled = true;
      say('');
      post(path, key, bodyOf && bodyOf()).then(function (r) {
        if (r.status === 200) { location.reload(); return; }
        button.disabled = false;
        key = null;
        var code = r.body && r.body.error;
        say(code === 'slot_conflict' ? text.taken : text.failed);
        if (code === 'slot_conflict') loadSlots();
      }, function () {
        button.disabled = false;
        say(text.failed);
      });
    });
  }

  if ($('confirm')) action($('confirm'), '/confirm');
  if ($('cancel')) {
    $('cancel').addEventListener('click', function () { $('cancel-sure').hidden = false; $('cancel-sure').focus(); });
    action($('cancel-sure'), '/cancel');
  }

  // Each load is numbered: an answer for a day the patient has since left (a slow one arriving after
  // a later one) is dropped, so the list never shows another day's times under the chosen date.
  var loads = 0;

  function loadSlots() {
    var load = ++loads;
    chosen = null;
    $('move-submit').hidden = true;
    var list = $('slots');
    list.textContent = '';
    if (!$('date').value) return;
    $('slots-status').textContent = text.loading;
    $('slots-status').hidden = false;
    fetch(base + '/slots?date=' + $('date').value).then(function (res) { return res.json(); }).then(function (body) {
      if (load !== loads) return;
      var slots = (body && body.slots) || [];
      $('slots-status').textContent = slots.length ? '' : text.noSlots;
      $('slots-status').hidden = Boolean(slots.length);
      slots.forEach(function (slot) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'slot';
        b.textContent = slot.time;
        b.setAttribute('aria-pressed', 'false');
        b.addEventListener('click', function () {
          Array.prototype.forEach.call(list.children, function (o) { o.setAttribute('aria-pressed', 'false'); });
          b.setAttribute('aria-pressed', 'true');
          chosen = slot.startsAt;
          moveKey = newKey();
          $('move-submit').hidden = false;
        });
        list.appendChild(b);
      });
    }, function () { if (load === loads) say(text.failed); });
  }

  if ($('move')) {
    $('move').addEventListener('click', function () {
      $('chooser').hidden = false;
      if (!$('date').value) $('date').value = root.getAttribute('data-day');
      loadSlots();
    });
    $('date').addEventListener('change', loadSlots);
    action($('move-submit'), '/move', function () { return { startsAt: chosen }; }, function () { return moveKey; });
  }
})();
`;
