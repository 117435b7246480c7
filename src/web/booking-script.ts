// The booking page's script, served as a static asset so the page can forbid inline scripts (CSP).
// Plain browser JavaScript: choose a service, a day, a free time, then name and phone.
export const BOOKING_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('booking');
  var slug = root.getAttribute('data-slug');
  var text = JSON.parse(document.getElementById('booking-text').textContent);
  var base = '/booking/' + encodeURIComponent(slug) + '/api';
  var $ = function (id) { return document.getElementById(id); };
  var chosen = null;
  var attemptKey = null;

  function show(id, visible) { $(id).hidden = !visible; }
  function say(id, message) { $(id).textContent = message; show(id, Boolean(message)); }

  function api(path, init) {
    return fetch(base + path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { status: res.status, body: body }; });
    });
  }

  // Each load is numbered: an answer for a service or day the patient has since left (a slow one
  // arriving after a later one) is dropped, so no time of another day is offered under this one.
  var loads = 0;

  function loadSlots() {
    var load = ++loads;
    chosen = null;
    show('details', false);
    say('error', '');
    var list = $('slots');
    list.textContent = '';
    if (!$('service').value || !$('date').value) return;
    say('slots-status', text.loading);
    api('/slots?serviceTypeId=' + encodeURIComponent($('service').value) + '&date=' + $('date').value).then(function (r) {
      if (load !== loads) return;
      var slots = (r.body && r.body.slots) || [];
      say('slots-status', slots.length ? '' : text.noSlots);
      slots.forEach(function (slot) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'slot';
        button.textContent = slot.time;
        button.setAttribute('data-starts-at', slot.startsAt);
        button.addEventListener('click', function () {
          Array.prototype.forEach.call(list.children, function (b) { b.setAttribute('aria-pressed', 'false'); });
          button.setAttribute('aria-pressed', 'true');
          chosen = slot.startsAt;
          // One key per chosen time: a double click or a retry after a network error cannot book twice.
          attemptKey = 'web-' + (self.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
          show('details', true);
          $('name').focus();
        });
        list.appendChild(button);
      });
    });
  }

  $('service').addEventListener('change', loadSlots);
  $('date').addEventListener('change', loadSlots);

  $('details').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!chosen) return;
    $('submit').disabled = true;
    say('error', '');
    var body = {
      serviceTypeId: $('service').value,
      startsAt: chosen,
      patientName: $('name').value,
      patientPhone: $('phone').value,
      notes: $('notes').value || undefined,
      website: $('website').value || undefined
    };
    api('/appointments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': attemptKey },
      body: JSON.stringify(body)
    }).then(function (r) {
      $('submit').disabled = false;
      if (r.status === 201) {
        show('chooser', false);
        show('details', false);
        say('confirmation', text.booked
          .replace('{service}', r.body.serviceName || '')
          .replace('{when}', r.body.startsAt.slice(0, 10) + ' ' + r.body.startsAt.slice(11, 16))
          .replace('{who}', r.body.professionalName || '')
          .replace('{reference}', r.body.reference));
        return;
      }
      var code = r.body && r.body.error;
      var field = r.body && r.body.errors && r.body.errors[0] && r.body.errors[0].path;
      say('error', code === 'slot_conflict' ? text.taken : field === 'patientPhone' ? text.badPhone : field === 'patientName' ? text.badName : text.failed);
      if (code === 'slot_conflict') loadSlots();
    }, function () {
      $('submit').disabled = false;
      say('error', text.failed);
    });
  });

  api('/clinic').then(function (r) {
    var select = $('service');
    r.body.services.forEach(function (s) {
      var option = document.createElement('option');
      option.value = s.id;
      option.textContent = s.name + ' (' + s.durationMinutes + ' min)';
      select.appendChild(option);
    });
    $('date').min = r.body.today;
    $('date').value = r.body.today;
    loadSlots();
  });
})();
`;
