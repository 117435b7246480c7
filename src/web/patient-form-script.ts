// The script of the triage and feedback forms, a static asset so the pages can forbid inline scripts
// (CSP). It reads each field the page marks (data-field, data-type), posts them as JSON to the form's
// data-action (under data-wrap when set: triage sends {answers: {...}}), and reloads on success or
// when the answers were already in, so what the patient sees is always what the server keeps.
export const PATIENT_FORM_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('patient-form');
  if (!form) return;
  var text = JSON.parse(document.getElementById('page-text').textContent);
  var error = document.getElementById('error');
  var send = document.getElementById('send');
  function say(message) { error.textContent = message; error.hidden = !message; }

  function valueOf(field) {
    var type = field.getAttribute('data-type');
    if (field.tagName === 'TEXTAREA') return field.value.trim() || null;
    var checked = field.querySelector('input:checked');
    if (!checked) return null;
    if (type === 'yes_no') return checked.value === 'true';
    if (type === 'number') return Number(checked.value);
    return checked.value;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var fields = {};
    var missing = false;
    Array.prototype.forEach.call(form.querySelectorAll('[data-field]'), function (field) {
      var value = valueOf(field);
      if (value === null) { if (field.getAttribute('data-required') === 'true') missing = true; return; }
      fields[field.getAttribute('data-field')] = value;
    });
    if (missing) { say(text.missing); return; }
    var wrap = form.getAttribute('data-wrap');
    var body = {};
    if (wrap) body[wrap] = fields; else body = fields;
    send.disabled = true;
    say('');
    fetch(form.getAttribute('data-action'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (b) {
        if (res.status === 200 || (b && b.error === 'already_answered')) { location.reload(); return; }
        send.disabled = false;
        say(b && b.error === 'validation_failed' ? text.missing : text.failed);
      });
    }, function () {
      send.disabled = false;
      say(text.failed);
    });
  });
})();
`;
