// claimex page script: no framework, no build step. Every page works without it; it makes the
// submit form show the claims in place when extraction is done, reloads a pending abstract, and
// tells a table's reader when the table changes. It follows the server-sent events of
// /v1/jobs/{id}/events and /v1/events; where those fail, it polls instead.
"use strict";

const POLL_MS = 500;
const POLL_LIMIT = 240; // two minutes

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

function formatValue(value, unit) {
  const text = Number(value.toPrecision(4)).toString();
  if (!unit) return text;
  return unit === "%" || unit === "x" ? text + unit : text + " " + unit;
}

const FINAL = ["finished", "failed"];

// The job's final status from its event stream; null if the stream fails before it ends.
function jobEvents(statusUrl, say) {
  if (!window.EventSource) return Promise.resolve(null);
  return new Promise((resolve) => {
    const source = new EventSource(statusUrl + "/events");
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      source.close();
      resolve(value);
    };
    source.addEventListener("status", (message) => {
      const event = JSON.parse(message.data);
      if (FINAL.includes(event.status)) finish(event);
      else say(event.status === "started" ? "Extracting claims…" : "Queued…");
    });
    source.onerror = () => finish(null);
    setTimeout(() => finish(null), POLL_MS * POLL_LIMIT);
  });
}

async function pollJob(statusUrl, say) {
  for (let i = 0; i < POLL_LIMIT; i++) {
    const response = await fetch(statusUrl, { headers: { accept: "application/json" } });
    const job = await response.json();
    if (job.status === "finished" || job.status === "failed") return job;
    say(job.status === "started" ? "Extracting claims…" : "Queued…");
    await sleep(POLL_MS);
  }
  throw new Error("no answer from the workers yet; try the abstract page later");
}

async function waitForJob(statusUrl, say) {
  const ended = await jobEvents(statusUrl, say);
  // The final event says how it ended; the job itself says why (its error), as does polling.
  if (ended) document.body.dataset.followed = "events";
  else document.body.dataset.followed = "polling";
  return pollJob(statusUrl, say);
}

function claimsTable(abstract) {
  const table = el("table", null, { class: "rows claims" });
  const head = table.createTHead().insertRow();
  for (const name of ["Span", "Value", "Kind", "Metric", "Dataset", "Subject", "Baseline"]) {
    head.appendChild(el("th", name, { scope: "col" }));
  }
  const body = table.createTBody();
  abstract.claims.forEach((claim, n) => {
    const row = body.insertRow();
    const span = el("a", claim.span, { href: `/abstracts/${abstract.id}#claim-${n}` });
    row.insertCell().appendChild(span);
    row.insertCell().textContent = formatValue(claim.value, claim.unit);
    row.insertCell().textContent = claim.kind;
    for (const field of ["metric", "dataset", "subject", "baseline"]) {
      row.insertCell().textContent = claim[field] || "—";
    }
  });
  const wrap = el("div", null, { class: "scroll" });
  wrap.appendChild(table);
  return wrap;
}

function setUpSubmit(form) {
  const result = document.getElementById("result");
  const button = form.querySelector("button[type=submit]");
  const say = (text, cls) => {
    result.replaceChildren(el("p", text, { class: cls || "status", role: "status" }));
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    const title = form.elements.title.value.trim();
    if (!text) {
      say("Paste the text of an abstract.", "error");
      return;
    }
    button.disabled = true;
    say("Sending…");
    try {
      const body = title ? { text, title } : { text };
      const response = await fetch("/v1/abstracts", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (response.status !== 202) throw new Error(answer.detail || answer.title || "rejected");
      const job = await waitForJob(answer.status_url, say);
      const id = answer.abstract_ids[0];
      if (job.status === "failed") throw new Error(job.error || "extraction failed");
      const abstract = await (await fetch(`/v1/abstracts/${id}`)).json();
      const count = abstract.claims.length;
      const heading = el("h2", `${count} claim${count === 1 ? "" : "s"} found`, { id: "claims-found" });
      const link = el("a", "Open the abstract with its claims highlighted →", {
        href: `/abstracts/${id}`,
        id: "abstract-link",
      });
      result.replaceChildren(heading, el("p"), count ? claimsTable(abstract) : el("p", "No quantitative claim found."));
      result.children[1].appendChild(link);
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    } catch (error) {
      say(`Could not extract: ${error.message}`, "error");
    } finally {
      button.disabled = false;
    }
  });
}

async function reloadWhenExtracted(marker) {
  const id = marker.dataset.abstract;
  for (let i = 0; i < POLL_LIMIT; i++) {
    await sleep(POLL_MS * 2);
    const response = await fetch(`/v1/abstracts/${id}`, { headers: { accept: "application/json" } });
    if (response.ok && (await response.json()).claims !== null) {
      window.location.reload();
      return;
    }
  }
}

function followTable(marker) {
  if (!window.EventSource) return;
  const query = new URLSearchParams({ table: marker.dataset.table, since: marker.dataset.since });
  const source = new EventSource(`/v1/events?${query}`);
  source.addEventListener("table", (message) => {
    const event = JSON.parse(message.data);
    const text = event.papers
      ? `This table has changed: it now holds ${event.papers} paper${event.papers === 1 ? "" : "s"} and ${event.claims} claim${event.claims === 1 ? "" : "s"}. `
      : "This table is gone. ";
    const reload = el("a", "Reload", { href: window.location.href, id: "table-reload" });
    marker.replaceChildren(el("span", text), reload);
    marker.hidden = false;
  });
}

const form = document.getElementById("submit-form");
if (form) setUpSubmit(form);
const pending = document.getElementById("pending");
if (pending) reloadWhenExtracted(pending);
const changes = document.getElementById("table-changes");
if (changes) followTable(changes);
