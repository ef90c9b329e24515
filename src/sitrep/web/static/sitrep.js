// sitrep dashboard: draws charts with vega-embed (served from /static/vendor/vega.js),
// keeps the analyst token for this tab, and sends corrections, merges and splits.
// Nothing here builds HTML from data: text goes in through textContent only.

const TOKEN_KEY = "sitrep_token";

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

function setupToken() {
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  const state = document.getElementById("token-state");
  if (!form) return;
  const show = () => { state.textContent = token() ? "token set" : ""; };
  show();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      // Reads may need a token (SITREP_READ_TOKEN); writes use the header only.
      document.cookie = `${TOKEN_KEY}=${encodeURIComponent(value)}; path=/; SameSite=Strict`;
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
      document.cookie = `${TOKEN_KEY}=; path=/; max-age=0; SameSite=Strict`;
    }
    input.value = "";
    show();
  });
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Authorization": `Bearer ${token()}` },
    body: JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = data && data.error ? data.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return data;
}

function list(text) {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function wire(selector, build) {
  for (const form of document.querySelectorAll(selector)) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector("output.status");
      const fields = Object.fromEntries(new FormData(form).entries());
      status.textContent = "saving…";
      try {
        const [url, body] = build(form, fields);
        await post(url, body);
        status.textContent = "saved";
        window.location.reload();
      } catch (err) {
        status.textContent = err.message;
      }
    });
  }
}

function setupForms() {
  wire("form.correction-form", (form, f) => ["/api/corrections", {
    record_type: form.dataset.recordType, record_id: form.dataset.recordId,
    field: f.field, value: f.value, author: f.author || null, reason: f.reason || null,
  }]);
  wire("form.merge-form", (form, f) => [`/api/incidents/${encodeURIComponent(form.dataset.incident)}/merge`, {
    incidents: list(f.incidents || ""), author: f.author || null, reason: f.reason || null,
  }]);
  wire("form.split-form", (form, f) => [`/api/incidents/${encodeURIComponent(form.dataset.incident)}/split`, {
    mentions: list(f.mentions || ""), author: f.author || null, reason: f.reason || null,
  }]);
}

async function drawCharts() {
  const embed = window.vegaEmbed;
  for (const figure of document.querySelectorAll("figure.chart[data-spec]")) {
    if (!embed) { figure.dataset.rendered = "no-vega"; continue; }
    try {
      const spec = JSON.parse(figure.dataset.spec);
      await embed(figure.querySelector(".chart-canvas"), spec, { actions: false, renderer: "svg" });
      figure.dataset.rendered = "yes";
    } catch (err) {
      figure.dataset.rendered = "error";
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = `Chart not drawn: ${err.message}`;
      figure.prepend(note);
    }
  }
}

function focusEvidence() {
  const focus = document.getElementById("focus");
  if (focus) focus.scrollIntoView({ block: "center" });
}

setupToken();
setupForms();
focusEvidence();
drawCharts();
