/*! Code & Care chat widget. No dependencies, no eval, no HTML from strings, no inline
 * styles: it runs under `script-src`/`style-src`/`connect-src` of its own server only, and
 * under Trusted Types. Embed:
 *   <script src="https://ASSISTANT/webhooks/codecare/widget.js" data-server="https://ASSISTANT"
 *           data-lang="en" data-storage="session" data-token-provider="getSsoToken" defer></script>
 * The channel (server/channels/codecare.py) serves this file with web/strings.json in place. */
(() => {
  "use strict";
  const STRINGS = /*@strings*/null;
  const script = document.currentScript;
  const options = script.dataset;
  const base = options.server
    ? options.server.replace(/\/+$/, "") + "/webhooks/codecare/"
    : script.src.slice(0, script.src.lastIndexOf("/") + 1);
  const lang = pickLanguage(options.lang || document.documentElement.lang);
  const storage = openStorage(options.storage || "session");
  const storageKey = "codecare:" + base;
  const TIMEOUT_MS = 60000;
  const COMMENT_CHARS = 300;
  const MAX_BACKOFF_S = 30;
  const CHAT_ICON = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z";
  const CLOSE_ICON = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";

  let state = null;
  let busy = false;
  let failures = 0;
  let timer = null;
  let sending = null; // the item on its way to the server
  let seq = 0; // element ids, unique in the Shadow DOM
  const nodes = new Map(); // conversation item -> its note element, to update delivery status
  const ratings = new Map(); // rated answer -> its rating controls, to update them in place

  // Strings: one table per language (web/strings.json); a missing key falls back to English.
  function pickLanguage(wanted) {
    const code = String(wanted || "").toLowerCase().split("-")[0];
    return STRINGS[code] ? code : "en";
  }
  function t(key, vars) {
    const text = STRINGS[lang][key] || STRINGS.en[key];
    return text.replace(/\{(\w+)\}/g, (_, name) => String(vars && vars[name]));
  }

  // Storage: sessionStorage by default, localStorage or nothing on request; never fatal.
  function openStorage(kind) {
    try {
      return kind === "local" ? window.localStorage : kind === "none" ? null : window.sessionStorage;
    } catch (error) {
      return null;
    }
  }
  function save() {
    try {
      if (storage) storage.setItem(storageKey, JSON.stringify(state));
    } catch (error) { /* full or disabled: the conversation still works in this page */ }
  }
  function restore() {
    try {
      const saved = storage && JSON.parse(storage.getItem(storageKey));
      return saved && Array.isArray(saved.items) ? saved : null;
    } catch (error) {
      return null;
    }
  }
  function fresh(subject) {
    // With sign-on the server takes the sender id from the token, so none is sent.
    return { sender: options.tokenProvider ? null : uuid(), subject: subject || null, items: [], open: false, draft: "" };
  }
  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    // randomUUID needs a secure context; many intranets are served over plain http.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    const hex = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Single sign-on: the host page names a function that returns (a promise of) a JWT.
  // No token (not signed in, or the provider fails) is a sign-in problem, not a network one.
  async function token() {
    if (!options.tokenProvider) return null;
    try {
      const jwt = await window[options.tokenProvider]();
      if (jwt) return jwt;
    } catch (error) { /* reported as below */ }
    throw Object.assign(new Error("not signed in"), { status: 401 });
  }
  function subjectOf(jwt) {
    try {
      const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes)).sub || null;
    } catch (error) {
      return null;
    }
  }

  // DOM: built with createElement and textContent only.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((name) => {
      const value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach((child) => {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // Markdown subset: paragraphs, **bold**, "-", "*" or "1." lists, [links](http(s)/mailto).
  function markdown(text) {
    const fragment = document.createDocumentFragment();
    text.split(/\n\s*\n/).forEach((block) => {
      let list = null;
      let paragraph = null;
      block.split("\n").forEach((line) => {
        const item = /^\s*(?:([-*•])|\d+[.)])\s+(.*)$/.exec(line);
        if (item) {
          const tag = item[1] ? "UL" : "OL";
          if (!list || list.tagName !== tag) list = fragment.appendChild(el(tag));
          list.appendChild(inline(el("li"), item[2]));
          paragraph = null;
        } else if (line.trim()) {
          if (paragraph) paragraph.appendChild(el("br"));
          else paragraph = fragment.appendChild(el("p"));
          inline(paragraph, line);
          list = null;
        }
      });
    });
    return fragment;
  }
  function inline(parent, text) {
    const pattern = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text))) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) parent.appendChild(inline(el("strong"), match[1]));
      else parent.appendChild(link(match[2], match[3]) || document.createTextNode(match[0]));
      last = pattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }
  function link(label, href, schemes) {
    let url;
    try {
      url = new URL(href);
    } catch (error) {
      return null;
    }
    if (!(schemes || /^(https?|mailto):$/).test(url.protocol)) return null;
    const web = /^https?:$/.test(url.protocol);
    return el("a", { href: url.href, target: web && "_blank", rel: "noopener noreferrer" },
      [label, web && el("span", { class: "cc-sr", text: " " + t("newTab") })]);
  }

  // The answer's source: shown discreetly, and not twice when the text ends with it.
  function splitSource(message) {
    const text = message.text || "";
    if (!message.source) return { text: text, source: null };
    const line = /\n\s*Source:\s*([^\n]+?)\s*$/.exec(text);
    return line ? { text: text.slice(0, line.index), source: line[1] } : { text: text, source: message.source };
  }

  // The widget.
  const host = el("div", { id: "codecare-widget" });
  const root = host.attachShadow({ mode: "open" });
  const launcher = el("button", { type: "button", class: "cc-launcher", "aria-expanded": "false",
    "aria-controls": "cc-panel", onclick: () => setOpen(true, true) }, [icon(CHAT_ICON), el("span", { text: t("launcher") })]);
  const log = el("div", { class: "cc-log", role: "log", "aria-live": "polite", "aria-label": t("log"), tabindex: "0" });
  const typing = el("div", { class: "cc-typing", hidden: true }, [
    el("span", { class: "cc-sr", text: t("typing") }), el("i"), el("i"), el("i")]);
  const status = el("p", { class: "cc-status", role: "status" });
  const retry = el("button", { type: "button", class: "cc-retry", hidden: true, text: t("retry"),
    onclick: () => { failures = 0; pump(); } });
  const input = el("input", { id: "cc-input", type: "text", autocomplete: "off", maxlength: String(/*@maxChars*/1000),
    placeholder: t("placeholder"), oninput: () => { state.draft = input.value; save(); } });
  const panel = el("section", { id: "cc-panel", class: "cc-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "cc-title", hidden: true, onkeydown: onKey }, [
    el("div", { class: "cc-head" }, [
      el("div", { class: "cc-titles" }, [
        el("h2", { id: "cc-title", text: t("title") }), el("p", { text: t("subtitle") })]),
      el("button", { type: "button", class: "cc-restart", text: t("restart"), onclick: restart }),
      el("button", { type: "button", class: "cc-close", "aria-label": t("close"),
        onclick: () => setOpen(false, true) }, [icon(CLOSE_ICON)]),
    ]),
    el("p", { class: "cc-privacy", text: t("privacy") }),
    log, typing,
    el("div", { class: "cc-alert" }, [status, retry]),
    el("form", { class: "cc-form", onsubmit: onSubmit }, [
      el("label", { for: "cc-input", text: t("label") }),
      el("div", { class: "cc-row" }, [input, el("button", { type: "submit", class: "cc-send", text: t("send") })]),
    ]),
  ]);
  const frame = el("div", { class: "cc", lang: lang, hidden: true }, [launcher, panel]);
  const stylesheet = el("link", { rel: "stylesheet", href: base + "widget.css" });
  // Shown once styled; shown unstyled rather than not at all if the stylesheet fails.
  stylesheet.addEventListener("load", () => { frame.hidden = false; });
  stylesheet.addEventListener("error", () => { frame.hidden = false; });
  root.appendChild(stylesheet);
  root.appendChild(frame);

  // Icons are SVG paths, hidden from assistive technology: the buttons carry the words.
  function icon(d) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }

  function render() {
    nodes.clear();
    ratings.clear();
    log.textContent = "";
    log.appendChild(el("div", { class: "cc-msg cc-bot cc-welcome" }, [el("p", { text: t("welcome") })]));
    state.items.forEach(show);
    input.value = state.draft || "";
  }
  function show(item) {
    if (item.hidden) return null;
    const mine = item.who === "user";
    const message = el("div", { class: "cc-msg " + (mine ? "cc-user" : "cc-bot") }, [
      el("span", { class: "cc-sr", text: (mine ? t("you") : t("bot")) + ": " })]);
    if (mine) {
      message.appendChild(el("p", { text: item.text }));
      const note = message.appendChild(el("p", { class: "cc-note" }));
      nodes.set(item, note);
      updateNote(item);
    } else {
      const parts = splitSource(item);
      const id = "cc-m" + (++seq);
      message.appendChild(el("div", { id: id, class: "cc-text" }, [markdown(parts.text)]));
      if (item.contact) message.appendChild(contactCard(item.contact));
      if (parts.source) message.appendChild(el("p", { class: "cc-source", text: t("source") + ": " + parts.source }));
      if (item.buttons && item.buttons.length) {
        message.appendChild(el("div", { class: "cc-buttons", role: "group", "aria-label": t("suggestions") },
          item.buttons.map((button) => el("button", { type: "button", class: "cc-suggest", text: button.title,
            onclick: () => send(button.title, button.payload) }))));
      }
      if (item.answer_id) message.appendChild(ratingFor(item, id));
    }
    log.appendChild(message);
    log.scrollTop = log.scrollHeight;
    return message;
  }

  // "A human one step away": the contact of a handoff answer as actions. Only mailto:,
  // tel: and http(s) addresses become links; whatever else is dropped.
  function contactCard(contact) {
    const email = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/.test(contact.email || "") && contact.email;
    const phone = /^\+?[\d\s()./-]+$/.test(contact.phone || "") && contact.phone;
    const dial = phone && phone.replace(/[^\d+]/g, "");
    const actions = [
      email && link(t("mail", { address: email }), "mailto:" + email, /^mailto:$/),
      /^\+?\d{3,}$/.test(dial) && link(t("call", { number: phone }), "tel:" + dial, /^tel:$/),
      contact.link && link(t("web"), String(contact.link), /^https?:$/),
    ].filter(Boolean);
    return el("div", { class: "cc-contact" }, [
      contact.team && el("p", { class: "cc-team", text: String(contact.team) }),
      actions.length && el("div", { class: "cc-actions" }, actions),
      contact.hours && el("p", { text: t("hours") + ": " + contact.hours }),
    ]);
  }

  // Rating: "Yes" is sent at once; "No" opens an optional comment, and is sent when the
  // comment is sent or skipped, or when the user moves on. A changed mind sends the new
  // rating (the latest counts); pressing the rating already sent sends nothing.
  function ratingFor(item, describedBy) {
    const label = "cc-r" + (++seq);
    const field = el("input", { id: label + "c", type: "text", autocomplete: "off",
      maxlength: String(COMMENT_CHARS), value: item.draft || "",
      oninput: () => { item.draft = field.value; save(); } });
    const button = (helpful, text) => el("button", { type: "button", class: "cc-rate", text: text,
      "aria-pressed": "false", onclick: () => rate(item, helpful) });
    const controls = {
      yes: button(true, t("yes")), no: button(false, t("no")), field: field,
      thanks: el("span", { class: "cc-thanks" }),
      form: el("form", { class: "cc-more", onsubmit: (event) => { event.preventDefault(); commit(item, field.value, true); },
        onkeydown: (event) => {
          if ((event.key !== "Escape" && event.key !== "Esc") || event.isComposing) return;
          event.preventDefault();
          event.stopPropagation(); // closes the comment, not the chat
          commit(item, "", true);
        } }, [
        el("label", { for: label + "c", text: t("missing") }),
        el("div", { class: "cc-row" }, [field,
          el("button", { type: "submit", class: "cc-rate", text: t("sendComment") }),
          el("button", { type: "button", class: "cc-rate", text: t("skip"), onclick: () => commit(item, "", true) })]),
      ]),
    };
    ratings.set(item, controls);
    paint(item);
    return el("div", { class: "cc-rating", role: "group", "aria-labelledby": label, "aria-describedby": describedBy }, [
      el("span", { id: label, text: t("helpful") }), controls.yes, controls.no, controls.thanks, controls.form]);
  }
  function paint(item) {
    const controls = ratings.get(item);
    if (!controls) return;
    controls.yes.setAttribute("aria-pressed", String(item.rated === true));
    controls.no.setAttribute("aria-pressed", String(item.rated === false));
    controls.form.hidden = !item.asking;
    // Inside the log, a polite live region: the change is announced.
    controls.thanks.textContent = item.sent !== undefined && !item.asking ? t("thanks") : "";
  }
  function rate(item, helpful) {
    settle(item);
    const controls = ratings.get(item);
    if (helpful) {
      item.asking = false;
      delete item.draft;
      item.rated = true;
      if (item.sent !== true) queueRating(item, true, "");
    } else if (item.rated !== false) {
      item.rated = false;
      item.asking = true;
    }
    paint(item);
    save();
    if (item.asking) controls.field.focus();
    pump();
  }
  // `direct`: the user sent or skipped this comment (not moved on): focus and send now.
  function commit(item, comment, direct) {
    item.asking = false;
    delete item.draft;
    queueRating(item, false, comment.trim().slice(0, COMMENT_CHARS));
    paint(item);
    if (!direct) return;
    ratings.get(item).no.focus();
    pump();
  }
  function settle(except) {
    state.items.filter((i) => i.asking && i !== except).forEach((i) => commit(i, "", false));
  }
  function queueRating(item, helpful, comment) {
    item.sent = helpful;
    const rating = { answer_id: item.answer_id, helpful: helpful };
    if (comment) rating.comment = comment;
    state.items.push({ who: "user", payload: "/rate" + JSON.stringify(rating), hidden: true, status: "pending", rating: true });
    save();
  }

  function updateNote(item) {
    const note = nodes.get(item);
    if (note) note.textContent = item.status === "failed" ? t("failed") : item.waiting ? t("pending") : "";
  }

  function setOpen(open, focus) {
    state.open = open;
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", String(open));
    save();
    if (open) log.scrollTop = log.scrollHeight;
    if (focus) (open ? input : launcher).focus();
  }
  function onKey(event) {
    if ((event.key === "Escape" || event.key === "Esc") && !event.isComposing) {
      event.preventDefault();
      setOpen(false, true);
    }
  }
  function onSubmit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    state.draft = "";
    send(text, null);
  }
  function send(text, payload) {
    settle(null);
    const item = { who: "user", text: text, payload: payload, status: "pending" };
    state.items.push(item);
    save();
    show(item);
    input.focus();
    pump();
  }
  function restart() {
    clearTimeout(timer);
    // Ratings not yet delivered still go to the conversation they rate, at best effort.
    settle(null);
    const old = state;
    old.items.filter((i) => i.rating && i.status === "pending" && i !== sending)
      .forEach((i) => post(i, old).catch(() => null));
    state = fresh(state.subject);
    // A signed-in user keeps one sender id, so the server's context is reset instead.
    if (options.tokenProvider) state.items.push({ who: "user", payload: "/restart", hidden: true, status: "pending" });
    state.open = true;
    setStatus("");
    render();
    save();
    input.focus();
    pump();
  }
  function setStatus(text, canRetry) {
    status.textContent = text;
    retry.hidden = !canRetry;
  }

  // Delivery: one message at a time, in order; kept until the server has answered it.
  async function pump() {
    if (busy) return;
    clearTimeout(timer);
    timer = null;
    const conversation = state;
    const item = conversation.items.find((i) => i.status === "pending");
    if (!item) return;
    busy = true;
    sending = item;
    typing.hidden = false;
    let again = true;
    try {
      const reply = await post(item, conversation);
      if (conversation === state) {
        delete item.status;
        delete item.waiting;
        updateNote(item);
        failures = 0;
        setStatus("");
        const shown = (reply.messages || []).map((m) => {
          const answer = { who: "bot", text: m.text || "", buttons: m.buttons || [], source: m.source || null,
            answer_id: m.answer_id || null,
            contact: m.answer_id === "handoff.human" && typeof m.contact === "object" && m.contact || null };
          state.items.push(answer);
          return show(answer);
        });
        // Long answers are read from their start (after the question), not their end.
        const top = shown.length && (shown[0].previousElementSibling || shown[0]);
        if (top) log.scrollTop = top.offsetTop - log.offsetTop - 12;
      }
    } catch (error) {
      if (error.status === 401) {
        item.waiting = true;
        setStatus(t("signIn"), true);
        again = false;
      } else if (error.status >= 400 && error.status < 500) {
        item.status = "failed";
        setStatus(t("refused", { reason: error.message }));
      } else {
        failures += 1;
        item.waiting = true;
        const seconds = Math.min(MAX_BACKOFF_S, Math.pow(2, failures - 1));
        setStatus(t("offline", { seconds: seconds }), true);
        timer = setTimeout(pump, seconds * 1000);
        again = false;
      }
    } finally {
      busy = false;
      sending = null;
      typing.hidden = true;
      updateNote(item);
      save();
    }
    if (again) pump();
  }
  async function post(item, conversation) {
    const body = { message: item.payload || item.text };
    if (conversation.sender) body.sender = conversation.sender;
    const jwt = await token();
    if (jwt) body.token = jwt;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      // text/plain keeps this a CORS "simple" request: no preflight, one round trip.
      const res = await fetch(base + "webhook", { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "text/plain;charset=UTF-8" }, credentials: "omit",
        cache: "no-store", signal: controller.signal });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw Object.assign(new Error(data.error || res.statusText), { status: res.status });
      return data;
    } finally {
      clearTimeout(timeout);
    }
  }

  async function start() {
    state = restore();
    if (options.tokenProvider) {
      // Never show one signed-in user's conversation to the next on a shared workstation.
      const subject = subjectOf((await token().catch(() => "")) || "");
      if (!state || !subject || state.subject !== subject) {
        state = Object.assign(fresh(subject), { open: Boolean(state && state.open) });
      }
    }
    state = state || fresh(null);
    render();
    setOpen(state.open, false);
    document.body.appendChild(host);
    pump();
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
