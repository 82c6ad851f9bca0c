// The review desk's keys, dialogs and live re-check. The pages work as plain forms; this only
// makes them quicker to drive. No library, nothing from another origin.
"use strict";

const byId = (id) => document.getElementById(id);
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const CHECK_DELAY_MS = 150; // typing pauses shorter than this do not re-check

function open(id) {
  const dialog = byId(id);
  if (dialog && !dialog.open) dialog.showModal();
}

function go(linkId) {
  const link = byId(linkId);
  if (link) window.location.assign(link.href);
}

function approve() {
  const form = byId("approve-form");
  if (!form || byId("approve-dialog") === null) return;
  if (Number(form.dataset.flagged) > 0) open("approve-dialog"); // overriding the guardrail needs a note
  else form.submit();
}

// --- editing, with the guardrail run again as the text changes ----------------------------

let checkTimer = null;
let checkSent = 0;

function editing() {
  const form = byId("edit-form");
  return form !== null && !form.hidden;
}

function startEdit() {
  const form = byId("edit-form");
  if (!form) return;
  form.hidden = false;
  const text = byId("edit-text");
  text.focus();
  recheck();
}

function stopEdit() {
  const form = byId("edit-form");
  if (form) form.hidden = true;
  window.location.reload(); // the stored draft's own check again
}

function scheduleRecheck() {
  window.clearTimeout(checkTimer);
  checkTimer = window.setTimeout(recheck, CHECK_DELAY_MS);
}

async function recheck() {
  const text = byId("edit-text");
  const sent = ++checkSent;
  const started = performance.now();
  const response = await fetch("/check", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ text: text.value, format: text.dataset.format }),
  });
  if (sent !== checkSent) return; // a later keystroke's check is on its way
  // the server renders the cards with every value escaped: the fragment is safe to place
  byId("thread").innerHTML = await response.text();
  const timing = response.headers.get("server-timing") || "";
  const match = /dur=([\d.]+)/.exec(timing);
  byId("check-time").textContent =
    `checked in ${Math.round(performance.now() - started)} ms` + (match ? ` (guardrail ${match[1]} ms)` : "");
  document.body.dataset.checks = String(sent);
}

// --- wiring --------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-open]")) {
    button.addEventListener("click", () => open(button.dataset.open));
  }
  for (const button of document.querySelectorAll("[data-close]")) {
    button.addEventListener("click", () => button.closest("dialog").close());
  }
  for (const form of document.querySelectorAll("form[data-submits]")) {
    // a dialog's note goes into the hidden form that posts the decision
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const target = byId(form.dataset.submits);
      target.elements.note.value = form.elements.note.value;
      target.submit();
    });
  }
  const actions = { approve, reject: () => open("reject-dialog"), edit: startEdit, "cancel-edit": stopEdit };
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => actions[button.dataset.action]());
  }
  const text = byId("edit-text");
  if (text) text.addEventListener("input", scheduleRecheck);
});

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey && event.key === "Enter" && editing()) {
    event.preventDefault();
    byId("edit-form").requestSubmit();
    return;
  }
  if (event.key === "Escape" && editing()) {
    event.preventDefault();
    stopEdit();
    return;
  }
  const typing = event.target.closest("input, textarea, select, dialog");
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const keys = {
    j: () => go("next"),
    ArrowDown: () => go("next"),
    k: () => go("previous"),
    ArrowUp: () => go("previous"),
    a: approve,
    r: () => byId("reject-form") && !byId("reject-form").closest("[hidden]") && open("reject-dialog"),
    e: startEdit,
    u: () => byId("undo-form") && byId("undo-form").submit(),
    "?": () => open("keys"),
  };
  const act = keys[event.key];
  if (act) {
    event.preventDefault();
    act();
  }
});
