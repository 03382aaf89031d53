/**
 * The console's browser script, served at /console/assets/console.js (kept as a string so the
 * compiled build needs no copy step; no template placeholders or backticks inside). Plain
 * ES2017, no framework. Every HTML fragment it inserts was rendered and escaped by the server
 * (cardToHtml); text it makes itself goes in through textContent.
 *
 *   chat page: command box -> POST api/command (a shortcut chip sends its command, or, for a
 *   command that needs words, starts it in the box); a button -> POST api/action; a form ->
 *   POST api/form. Replies are appended to the transcript; `updated` replaces the card the
 *   button was on; form errors are shown on the form, which stays open.
 *   notifications: EventSource on api/notifications, newest first in the side panel.
 */
export const CONSOLE_JS = String.raw`
(function () {
  'use strict';
  var body = document.body;
  var personId = body.getAttribute('data-person-id');
  var transcript = document.getElementById('transcript');
  var feed = document.getElementById('feed');
  if (!personId || !transcript) return; // not the chat page

  function fragment(html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    return t.content;
  }
  function scrollDown() { transcript.scrollTop = transcript.scrollHeight; }
  function addEntry(node, cls) {
    var div = document.createElement('div');
    div.className = 'entry ' + cls;
    div.appendChild(node);
    transcript.appendChild(div);
    scrollDown();
    return div;
  }
  function say(text) {
    var s = document.createElement('span');
    s.textContent = text;
    addEntry(s, 'entry-you');
  }
  function showError(message) {
    var s = document.createElement('span');
    s.textContent = message;
    addEntry(s, 'entry-error');
  }

  function post(path, payload) {
    payload.personId = personId;
    return fetch('api/' + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(payload)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error((data && data.error && data.error.message) || ('Request failed (' + res.status + ')'));
        return data;
      });
    });
  }

  function showReply(reply, origin) {
    if (reply.updated && origin && origin.parentNode) {
      origin.parentNode.replaceChild(fragment(reply.updated), origin);
    } else if (reply.updated) {
      addEntry(fragment(reply.updated), 'entry-bot');
    }
    (reply.cards || []).forEach(function (html) { addEntry(fragment(html), 'entry-bot'); });
    if (reply.form) {
      var entry = addEntry(fragment(reply.form), 'entry-bot');
      var first = entry.querySelector('input:not([type=hidden]), select, textarea');
      if (first) first.focus();
    }
  }

  function sendCommand(text) {
    text = text.trim();
    if (!text) return;
    say(text);
    post('command', { text: text }).then(function (r) { showReply(r, null); }, function (e) { showError(e.message); });
  }

  document.getElementById('command-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var input = document.getElementById('command');
    sendCommand(input.value);
    input.value = '';
  });

  document.addEventListener('click', function (ev) {
    var chip = ev.target.closest('button[data-command]');
    if (chip) { sendCommand(chip.getAttribute('data-command')); return; }
    var prefill = ev.target.closest('button[data-prefill]');
    if (prefill) {
      var box = document.getElementById('command');
      box.value = prefill.getAttribute('data-prefill');
      box.focus();
      return;
    }
    var button = ev.target.closest('button[data-action-id]');
    if (!button) return;
    var card = button.closest('article.card');
    button.disabled = true;
    post('action', { actionId: button.getAttribute('data-action-id'), value: button.getAttribute('data-value') || '' })
      .then(function (r) { button.disabled = false; showReply(r, card); }, function (e) { button.disabled = false; showError(e.message); });
  });

  function formValues(form) {
    var values = {};
    var hidden = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === 'hidden') hidden[el.name] = el.value;
      else if (el.type === 'checkbox' && el.closest('fieldset.choices')) {
        // A group of boxes is one multi-choice answer: the values ticked ([] when none).
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === 'radio') {
        // Nothing picked stays unanswered (''), never a silent default.
        if (!(el.name in values)) values[el.name] = '';
        if (el.checked) values[el.name] = el.value;
      } else if (el.type === 'checkbox') values[el.name] = el.checked;
      else if (el.tagName === 'SELECT' && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      } else values[el.name] = el.value;
    });
    return { values: values, hidden: hidden };
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('.form-errors, .field-error'), function (n) { n.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll('.input.invalid'), function (n) { n.classList.remove('invalid'); });
  }

  function showFormErrors(form, errors) {
    var box = document.createElement('p');
    box.className = 'form-errors error';
    box.setAttribute('role', 'alert');
    box.textContent = Object.keys(errors).map(function (k) { return errors[k]; }).join(' ');
    form.insertBefore(box, form.firstChild);
    Object.keys(errors).forEach(function (name) {
      var el = form.querySelector('[name="' + CSS.escape(name) + '"]');
      var wrap = el && el.closest('.input');
      if (!wrap) return;
      wrap.classList.add('invalid');
      var small = document.createElement('small');
      small.className = 'field-error';
      small.textContent = errors[name];
      wrap.appendChild(small);
    });
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target.closest('form[data-form-id]');
    if (!form) return;
    ev.preventDefault();
    var card = form.closest('article.card');
    var submit = form.querySelector('button[type=submit]');
    var v = formValues(form);
    if (submit) submit.disabled = true;
    post('form', { formId: form.getAttribute('data-form-id'), values: v.values, hidden: v.hidden }).then(function (r) {
      if (submit) submit.disabled = false;
      clearErrors(form);
      if (r.formErrors) { showFormErrors(form, r.formErrors); return; }
      if (card) card.classList.add('submitted');
      showReply({ cards: r.cards, form: r.form }, null);
    }, function (e) {
      if (submit) submit.disabled = false;
      showError(e.message);
    });
  });

  // Notifications: the server streams the person's outbox as it fills.
  var status = document.getElementById('feed-status');
  if (feed && window.EventSource) {
    var source = new EventSource('api/notifications?personId=' + encodeURIComponent(personId));
    var shown = {};
    source.addEventListener('ready', function () { status.textContent = 'live'; });
    source.addEventListener('error', function () { status.textContent = 'reconnecting…'; });
    source.addEventListener('notification', function (ev) {
      var item = JSON.parse(ev.data);
      if (shown[item.key]) return;
      shown[item.key] = true;
      var empty = feed.querySelector('.feed-empty');
      if (empty) empty.remove();
      var div = document.createElement('div');
      div.className = 'feed-item' + (status.textContent === 'live' ? ' fresh' : '');
      div.setAttribute('data-key', item.key);
      var time = document.createElement('time');
      time.dateTime = item.at;
      time.textContent = new Date(item.at).toLocaleString();
      div.appendChild(time);
      div.appendChild(fragment(item.html));
      feed.insertBefore(div, feed.firstChild);
    });
  }
})();
`;
