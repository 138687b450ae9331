/* Birlik observer page: sign in, see your stations and forms, fill them in and send them —
   with or without a connection.

   Every filled form goes into a queue on the phone (store.js, IndexedDB) with an idempotency
   key made here, and is sent from there: at once when there is a connection, otherwise on the
   next load, when the browser comes back online, and every RETRY_MS. A retry reuses the key,
   so the server never counts a form twice. Photos wait in the queue as Blobs and are uploaded
   (with an id made here, so that a retried upload is not stored twice) before their form.

   Texts come from the page (#observer-strings, translated by Django); addresses and limits
   from #observer-config. No framework: the page must stay small for cheap phones. */
(function () {
  "use strict";

  const STRINGS = JSON.parse(document.getElementById("observer-strings").textContent);
  const CONFIG = JSON.parse(document.getElementById("observer-config").textContent);
  const store = window.BirlikStore;
  const expressions = window.BirlikExpressions;
  const LANGUAGE = CONFIG.language;
  const RETRY_MS = 30000;
  const KEEP_SENT = 10;
  const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
  const WHOLE_NUMBER = /^\s*-?\d{1,10}\s*$/;

  const state = {
    token: null,
    me: null,
    meSavedAt: null,
    queue: [],
    flushing: false,
    flushAgain: false,
    form: null,
    mode: readMode(),
    signOutArmed: false,
    offlineNotice: false,
    started: false,
  };

  // --- Small helpers -------------------------------------------------------------------------

  function t(key, values) {
    const text = STRINGS[key] || key;
    return text.replace(/%\((\w+)\)s/g, (match, name) =>
      values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match
    );
  }

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name === "hidden") node.hidden = Boolean(value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  // A label from a form: {"az", "en", "ru"} in the page's language, else az, en, ru.
  function label(text) {
    if (typeof text === "string") return text;
    if (!text || typeof text !== "object") return "";
    for (const code of [LANGUAGE, "az", "en", "ru"]) if (text[code]) return String(text[code]);
    return "";
  }

  function time(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    try {
      return date.toLocaleTimeString(LANGUAGE, { hour: "2-digit", minute: "2-digit" });
    } catch (error) {
      return date.toTimeString().slice(0, 5);
    }
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function readMode() {
    try {
      return localStorage.getItem("birlik-observer-mode") === "steps" ? "steps" : "page";
    } catch (error) {
      return "page";
    }
  }

  function saveMode(mode) {
    try {
      localStorage.setItem("birlik-observer-mode", mode);
    } catch (error) {
      /* private window: the choice lasts for this visit */
    }
  }

  function focus(node) {
    if (!node) return;
    node.focus({ preventScroll: false });
  }

  // --- Talking to the server ---------------------------------------------------------------------

  async function api(method, path, { body, form } = {}) {
    const headers = { Accept: "application/json", "Accept-Language": LANGUAGE, "X-Birlik-Client": "phone" };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    let payload;
    if (form) payload = form;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    // Throws on no connection; the callers keep what they were sending.
    const response = await fetch(CONFIG.api + path, {
      method,
      headers,
      body: payload,
      credentials: "omit",
      cache: "no-store",
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return { status: response.status, data, response };
  }

  function errorMessage(result) {
    return (result.data && result.data.error && result.data.error.message) || t("serverTrouble");
  }

  // --- Screens -----------------------------------------------------------------------------------

  const SCREENS = ["screen-loading", "screen-sign-in", "screen-home", "screen-form"];

  function showScreen(id, { moveFocus = true } = {}) {
    for (const screen of SCREENS) $(screen).hidden = screen !== id;
    if (moveFocus) focus($(id).querySelector("h1"));
  }

  function showNotice(text, kind) {
    const notice = $("notice");
    notice.textContent = text || "";
    notice.className = `message${kind ? ` message--${kind}` : ""}`;
    notice.hidden = !text;
  }

  function updateConnection() {
    const online = navigator.onLine !== false;
    const line = $("connection");
    line.textContent = online ? t("online") : t("offline");
    line.className = `phone-connection ${online ? "phone-connection--online" : "phone-connection--offline"}`;
  }

  // --- Signing in ----------------------------------------------------------------------------------

  function showSignIn(message) {
    state.me = null;
    $("sign-in-error").hidden = true;
    $("code-form").hidden = true;
    $("phone-form").hidden = false;
    showNotice(message || "", message ? "warning" : "");
    showScreen("screen-sign-in", { moveFocus: Boolean(message) });
  }

  function signInError(text, field) {
    const box = $("sign-in-error");
    box.textContent = text;
    box.hidden = false;
    for (const input of document.querySelectorAll("#screen-sign-in input")) {
      input.removeAttribute("aria-invalid");
    }
    if (field) {
      field.setAttribute("aria-invalid", "true");
      focus(field);
    } else {
      focus(box);
    }
  }

  async function signInRequest(button, path, body) {
    $("sign-in-error").hidden = true;
    button.disabled = true;
    try {
      return await api("POST", path, { body });
    } catch (error) {
      signInError(t("noConnection"));
      return null;
    } finally {
      button.disabled = false;
    }
  }

  async function requestCode(event) {
    event.preventDefault();
    const input = $("phone-number");
    const phone = input.value.trim();
    if (!phone) return signInError(t("enterPhone"), input);
    const result = await signInRequest($("request-code"), "sign-in/request-code", { phone });
    if (!result) return;
    if (result.status === 202) {
      $("sign-in-error").hidden = true;
      input.removeAttribute("aria-invalid");
      $("code-sent-to").textContent = (result.data && result.data.detail) || t("codeSent");
      $("phone-form").hidden = true;
      $("code-form").hidden = false;
      focus($("sms-code"));
    } else {
      signInError(errorMessage(result), input);
    }
  }

  async function verifyCode(event) {
    event.preventDefault();
    const input = $("sms-code");
    const code = input.value.trim();
    if (!code) return signInError(t("enterCode"), input);
    const body = { phone: $("phone-number").value.trim(), code };
    const result = await signInRequest($("verify-code"), "sign-in/verify-code", body);
    if (!result) return;
    if (result.status === 200) await signedIn(result.data.token);
    else signInError(errorMessage(result), input);
  }

  async function accessCode(event) {
    event.preventDefault();
    const input = $("access-code");
    const code = input.value.trim();
    if (!code) return signInError(t("enterAccessCode"), input);
    const result = await signInRequest($("access-sign-in"), "sign-in/access-code", { code });
    if (!result) return;
    if (result.status === 200) await signedIn(result.data.token);
    else signInError(errorMessage(result), input);
  }

  async function signedIn(token) {
    state.token = token;
    await store.set("token", token);
    for (const form of ["phone-form", "code-form", "access-form"]) $(form).reset();
    showNotice("");
    if (await loadMe()) {
      state.started = true;
      if (location.hash && location.hash !== "#/") location.hash = "#/";
      else route();
      flush();
    }
  }

  // The server no longer knows the token: sign in again, keep the queue.
  async function tokenEnded() {
    state.token = null;
    await store.remove("token");
    await store.remove("me");
    showSignIn(t("signedOutExpired"));
  }

  async function signOut() {
    const unsent = state.queue.filter((item) => item.state !== "sent").length;
    const warning = $("sign-out-warning");
    if (unsent && !state.signOutArmed) {
      state.signOutArmed = true;
      warning.textContent = t("signOutPending", { count: unsent });
      warning.hidden = false;
      return;
    }
    try {
      await api("POST", "sign-out");
    } catch (error) {
      /* no connection: the phone forgets the token anyway */
    }
    await store.clear();
    // The service worker's copy of /me holds the observer's name and stations.
    if (window.caches) await caches.delete("birlik-observer-data").catch(() => false);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("signed-out");
    }
    state.token = null;
    state.queue = [];
    state.signOutArmed = false;
    warning.hidden = true;
    if (location.hash && location.hash !== "#/") history.replaceState(null, "", "#/");
    showSignIn();
  }

  // --- The observer's data --------------------------------------------------------------------------

  async function loadMe() {
    try {
      const result = await api("GET", "me");
      if (result.status === 200) {
        state.me = result.data;
        // Set by the service worker when it answered with its copy.
        state.meSavedAt = result.response.headers.get("X-Birlik-Saved-At");
        await store.set("me", { data: result.data, savedAt: new Date().toISOString() });
        return true;
      }
      if (result.status === 401) {
        await tokenEnded();
        return false;
      }
    } catch (error) {
      /* no connection: use the copy below */
    }
    const saved = await store.get("me");
    if (saved) {
      state.me = saved.data;
      state.meSavedAt = saved.savedAt;
      return true;
    }
    showNotice(t("noConnection"), "error");
    return false;
  }

  function formById(id) {
    return state.me.forms.find((form) => form.id === id);
  }

  function stationById(id) {
    return state.me.assignments.find((station) => station.id === id);
  }

  // --- Home ---------------------------------------------------------------------------------------

  function renderHome() {
    const me = state.me;
    const observer = me.observer;
    $("home-title").textContent = observer.full_name;
    const details = [observer.election.name];
    if (observer.number) details.push(t("observerNumber", { number: observer.number }));
    $("home-details").textContent = details.join(" · ");
    if (state.meSavedAt && navigator.onLine === false) {
      showNotice(t("offlineCopy", { time: time(state.meSavedAt) }), "warning");
      state.offlineNotice = true;
    } else if (state.offlineNotice) {
      showNotice("");
      state.offlineNotice = false;
    }

    const notDeployed = $("not-deployed");
    notDeployed.hidden = observer.may_submit;
    notDeployed.textContent = observer.may_submit ? "" : t("notDeployed");

    const stations = $("stations");
    stations.replaceChildren();
    if (!me.assignments.length) {
      stations.append(el("li", { className: "muted", text: t("noStations") }));
    }
    for (const station of me.assignments) {
      const forms = el("ul", { className: "phone-forms", role: "list" });
      if (observer.may_submit) {
        for (const form of me.forms) {
          const last = lastSent(form.id, station.id);
          forms.append(
            el(
              "li",
              {},
              el("a", {
                className: "button phone-form-link",
                href: `#/form/${form.id}/${station.id}`,
                text: `${form.code} · ${form.name}`,
              }),
              last ? el("span", { className: "muted phone-last", text: t("lastSent", { time: time(last) }) }) : null
            )
          );
        }
        if (!me.forms.length) forms.append(el("li", { className: "muted", text: t("noForms") }));
      }
      stations.append(
        el(
          "li",
          { className: "phone-card" },
          el("h3", { text: `${station.code} · ${station.name}` }),
          el("p", { className: "muted", text: station.address }),
          station.in_sample ? el("p", { className: "phone-sample", text: t("inSample") }) : null,
          forms
        )
      );
    }

    const recent = $("recent");
    recent.replaceChildren();
    if (!me.submissions.length) recent.append(el("li", { className: "muted", text: t("noRecent") }));
    for (const submission of me.submissions) {
      recent.append(
        el("li", { text: `${submission.form_code} · ${submission.station_code} · ${time(submission.received_at)}` })
      );
    }
    renderQueue();
  }

  function lastSent(formId, stationId) {
    const times = state.me.submissions
      .filter((item) => item.form_id === formId && item.station_id === stationId)
      .map((item) => item.received_at);
    for (const item of state.queue) {
      if (item.state === "sent" && item.form_id === formId && item.station_id === stationId) {
        times.push(item.received_at);
      }
    }
    return times.sort().pop();
  }

  function renderQueue() {
    const unsent = state.queue.filter((item) => item.state !== "sent");
    $("queue-title").textContent = unsent.length ? t("waiting", { count: unsent.length }) : t("allSent");
    $("send-now").hidden = !state.queue.some((item) => item.state === "waiting");
    const list = $("queue-items");
    list.replaceChildren();
    for (const item of state.queue.slice().reverse()) {
      const station = state.me && stationById(item.station_id);
      const title = `${item.form_code} · ${station ? station.code : item.station_code}`;
      const row = el(
        "li",
        { className: `phone-queue__item phone-queue__item--${item.state}`, "data-key": item.key, "data-state": item.state },
        el("strong", { text: title }),
        " ",
        el("span", { className: "phone-queue__state", text: stateText(item) })
      );
      if (item.state === "rejected") {
        row.append(
          el(
            "span",
            { className: "phone-queue__actions" },
            el("a", { href: `#/fix/${item.key}`, text: t("correct") }),
            el("button", { type: "button", className: "button--secondary", "data-discard": item.key, text: t("discard") })
          )
        );
      }
      list.append(row);
    }
  }

  function stateText(item) {
    if (item.state === "sent") return t("stateSent", { time: time(item.received_at) });
    if (item.state === "sending") return t("stateSending");
    if (item.state === "rejected") return t("stateRejected");
    if (item.message) return t("stateRetry", { reason: item.message });
    return t("stateWaiting");
  }

  async function discard(key) {
    if (!window.confirm(t("discardConfirm"))) return;
    await store.queue.remove(key);
    state.queue = await store.queue.all();
    renderQueue();
  }

  // --- The queue ---------------------------------------------------------------------------------

  async function loadQueue() {
    state.queue = await store.queue.all();
    // A page closed while sending: those are simply waiting again.
    for (const item of state.queue) {
      if (item.state === "sending") {
        item.state = "waiting";
        await store.queue.put(item);
      }
    }
  }

  async function flush() {
    if (!state.token) return;
    if (state.flushing) {
      state.flushAgain = true;
      return;
    }
    state.flushing = true;
    let sent = 0;
    try {
      do {
        state.flushAgain = false;
        const waiting = (await store.queue.all()).filter((item) => item.state === "waiting");
        for (const item of waiting) {
          const outcome = await send(item);
          if (outcome === "sent") sent += 1;
          if (outcome === "stop") break;
        }
      } while (state.flushAgain && state.token);
      await forgetOldSent();
      // What the server now lists as sent lately.
      if (sent && state.token) await loadMe();
    } finally {
      state.flushing = false;
      state.queue = await store.queue.all();
      if (!$("screen-home").hidden) renderHome();
    }
  }

  async function setItemState(item, newState, changes) {
    Object.assign(item, changes || {}, { state: newState });
    await store.queue.put(item);
    const index = state.queue.findIndex((other) => other.key === item.key);
    if (index >= 0) state.queue[index] = item;
    if (!$("screen-home").hidden && state.me) renderQueue();
  }

  // Sends one queued form (its photos first). "stop" means: no point sending more now.
  async function send(item) {
    await setItemState(item, "sending");
    try {
      for (const [code, photo] of Object.entries(item.photos || {})) {
        if (photo.uploaded) continue;
        const form = new FormData();
        form.append("id", photo.id);
        form.append("file", photo.blob, photo.name || "photo");
        const result = await api("POST", "photos", { form });
        if (result.status === 200 || result.status === 201) {
          photo.uploaded = true;
          await store.queue.put(item);
        } else if (result.status === 401) {
          await setItemState(item, "waiting");
          await tokenEnded();
          return "stop";
        } else if ([403, 409, 413, 422].includes(result.status)) {
          await setItemState(item, "rejected", { errors: { [code]: [errorMessage(result)] } });
          return "next";
        } else {
          await setItemState(item, "waiting", { message: errorMessage(result) });
          return "stop";
        }
      }
      const result = await api("POST", "submissions", {
        body: {
          form_id: item.form_id,
          station_id: item.station_id,
          answers: item.answers,
          idempotency_key: item.key,
          submitted_at: item.submitted_at,
        },
      });
      if (result.status === 200 || result.status === 201) {
        // Sent: the photos' bytes are no longer needed on the phone.
        const photos = {};
        for (const [code, photo] of Object.entries(item.photos || {})) photos[code] = { id: photo.id, uploaded: true };
        await setItemState(item, "sent", { received_at: result.data.received_at, photos, message: "", errors: null });
        return "sent";
      }
      if (result.status === 401) {
        await setItemState(item, "waiting");
        await tokenEnded();
        return "stop";
      }
      if (result.status === 422 || result.status === 404) {
        await setItemState(item, "rejected", { errors: serverErrors(result), message: "" });
        return "next";
      }
      await setItemState(item, "waiting", { message: t("serverTrouble") });
      return "stop";
    } catch (error) {
      // No connection (or it broke off): simply waiting for one.
      await setItemState(item, "waiting", { message: "" });
      return "stop";
    }
  }

  // The server's refusal as {question code or "__all__": [messages]}.
  function serverErrors(result) {
    const error = (result.data && result.data.error) || {};
    if (error.code === "invalid_submission" && error.details && typeof error.details === "object") {
      return error.details;
    }
    const messages = [error.message || t("formGone")];
    if (Array.isArray(error.details)) {
      for (const detail of error.details) if (detail && detail.message) messages.push(detail.message);
    }
    return { __all__: messages };
  }

  async function forgetOldSent() {
    const sent = (await store.queue.all()).filter((item) => item.state === "sent");
    for (const item of sent.slice(0, Math.max(0, sent.length - KEEP_SENT))) {
      await store.queue.remove(item.key);
    }
  }

  // --- A form ------------------------------------------------------------------------------------

  function questionsOf(schema) {
    const list = [];
    for (const section of (schema && schema.sections) || []) {
      for (const question of section.questions || []) list.push({ question, section });
    }
    return list;
  }

  function draftKey(formId, stationId) {
    return `draft:${formId}:${stationId}`;
  }

  async function openForm(formId, stationId, fixing) {
    const form = formById(formId);
    const station = stationById(stationId);
    if (!form || !station || !state.me.observer.may_submit) {
      showNotice(t("unknownForm"), "error");
      history.replaceState(null, "", "#/");
      return showHome();
    }
    const draft = fixing ? null : await store.get(draftKey(formId, stationId));
    state.form = {
      form,
      station,
      entries: questionsOf(form.schema),
      values: {},
      shownErrors: {},
      fixing: fixing || null,
      step: 0,
    };
    if (fixing) {
      state.form.values = valuesFromAnswers(state.form.entries, fixing.answers, fixing.photos);
    } else if (draft) {
      state.form.values = draft.values || {};
      showNotice(t("draftRestored"), "");
    } else {
      showNotice("");
    }
    $("form-title").textContent = `${form.code} · ${form.name}`;
    $("form-station").textContent = `${t("station", { code: station.code })} · ${station.name}`;
    renderQuestions();
    setMode(state.mode, { moveFocus: false });
    showScreen("screen-form");
    if (fixing && fixing.errors) showErrors(fixing.errors, { moveFocus: true });
  }

  // A rejected queue item's answers, back into what the inputs hold.
  function valuesFromAnswers(entries, answers, photos) {
    const values = {};
    for (const { question } of entries) {
      const value = answers[question.code];
      if (value === undefined) continue;
      if (question.type === "number") values[question.code] = String(value);
      else if (question.type === "photo") {
        const photo = (photos || {})[question.code];
        if (photo && photo.blob) values[question.code] = photo;
      } else values[question.code] = value;
    }
    return values;
  }

  function renderQuestions() {
    const container = $("questions");
    container.replaceChildren();
    let currentSection = null;
    let sectionNode = null;
    for (const { question, section } of state.form.entries) {
      if (section !== currentSection) {
        currentSection = section;
        sectionNode = el("div", { className: "phone-section", "data-section": section.code || "" });
        const title = label(section.label);
        if (title) sectionNode.append(el("h2", { text: title }));
        container.append(sectionNode);
      }
      sectionNode.append(renderQuestion(question));
    }
    refresh();
  }

  function questionTitle(question) {
    return [
      el("span", { className: "phone-code", text: question.code }),
      " ",
      label(question.label),
      question.required ? null : el("span", { className: "muted phone-optional", text: ` (${t("optional")})` }),
    ];
  }

  function renderQuestion(question) {
    const code = question.code;
    const value = state.form.values[code];
    const hint = [];
    if (question.hint && label(question.hint)) hint.push(label(question.hint));
    if (question.type === "number") {
      const low = question.min;
      const high = question.max;
      if (low !== undefined && low !== null && high !== undefined && high !== null) hint.push(t("range", { min: low, max: high }));
      else if (low !== undefined && low !== null) hint.push(t("atLeast", { min: low }));
      else if (high !== undefined && high !== null) hint.push(t("atMost", { max: high }));
    }
    const hintNode = hint.length ? el("p", { className: "field__help", id: `q-${code}-hint`, text: hint.join(" · ") }) : null;
    const describe = [hintNode ? `q-${code}-hint` : "", `q-${code}-error`].filter(Boolean).join(" ");
    const errorNode = el("p", { className: "field__error", id: `q-${code}-error`, hidden: true });
    const choices = ["yes_no", "single", "multiple"].includes(question.type);
    const wrapper = el(choices ? "fieldset" : "div", {
      className: `field phone-question${choices ? " field--choices" : ""}`,
      id: `q-${code}`,
      "data-code": code,
    });

    if (choices) {
      wrapper.append(el("legend", {}, questionTitle(question)));
      if (hintNode) wrapper.append(hintNode);
      const options =
        question.type === "yes_no"
          ? [
              { value: true, text: t("yes") },
              { value: false, text: t("no") },
            ]
          : (question.options || []).map((option) => ({ value: String(option.value), text: label(option.label) }));
      options.forEach((option, index) => {
        const id = `q-${code}-${index}`;
        const checked =
          question.type === "multiple" ? Array.isArray(value) && value.includes(option.value) : value === option.value;
        const input = el("input", {
          type: question.type === "multiple" ? "checkbox" : "radio",
          name: `q-${code}`,
          id,
          value: String(option.value),
          "aria-describedby": describe,
          checked,
        });
        input.addEventListener("change", () => readChoice(question));
        wrapper.append(el("label", { for: id }, input, el("span", { text: option.text })));
      });
      wrapper.append(errorNode);
      return wrapper;
    }

    const inputId = `q-${code}-input`;
    wrapper.append(el("label", { for: inputId }, questionTitle(question)));
    if (hintNode) wrapper.append(hintNode);
    let input;
    if (question.type === "text") {
      input = el("textarea", { id: inputId, maxlength: CONFIG.textMaxLength, "aria-describedby": describe });
      input.value = value || "";
    } else if (question.type === "photo") {
      input = el("input", {
        id: inputId,
        type: "file",
        accept: PHOTO_TYPES.join(","),
        capture: "environment",
        "aria-describedby": `${describe} q-${code}-photo`,
      });
      const status = el("p", { className: "field__help phone-photo", id: `q-${code}-photo`, "aria-live": "polite" });
      const remove = el("button", { type: "button", className: "button--secondary", hidden: true, text: t("photoRemove") });
      remove.addEventListener("click", () => {
        delete state.form.values[code];
        input.value = "";
        changed(question);
      });
      input.addEventListener("change", () => readPhoto(question, input));
      wrapper.append(input, status, remove, errorNode);
      return wrapper;
    } else {
      const numeric = question.type === "number";
      input = el("input", {
        id: inputId,
        type: question.type === "time" ? "time" : "text",
        inputmode: numeric ? (question.min !== undefined && question.min !== null && question.min >= 0 ? "numeric" : "text") : null,
        autocomplete: "off",
        "aria-describedby": describe,
      });
      input.value = value === undefined || value === null ? "" : String(value);
    }
    input.addEventListener("input", () => {
      state.form.values[code] = input.value;
      changed(question);
    });
    wrapper.append(input, errorNode);
    return wrapper;
  }

  function readChoice(question) {
    const code = question.code;
    const inputs = Array.from(document.getElementsByName(`q-${code}`));
    if (question.type === "multiple") {
      state.form.values[code] = inputs.filter((input) => input.checked).map((input) => input.value);
    } else {
      const checked = inputs.find((input) => input.checked);
      if (!checked) delete state.form.values[code];
      else if (question.type === "yes_no") state.form.values[code] = checked.value === "true";
      else state.form.values[code] = checked.value;
    }
    changed(question);
  }

  function readPhoto(question, input) {
    const file = input.files && input.files[0];
    const code = question.code;
    if (!file) {
      delete state.form.values[code];
    } else if (!PHOTO_TYPES.includes(file.type)) {
      delete state.form.values[code];
      input.value = "";
      state.form.shownErrors[code] = [t("photoType")];
    } else if (file.size > CONFIG.photoMaxBytes) {
      delete state.form.values[code];
      input.value = "";
      state.form.shownErrors[code] = [t("photoSize", { limit: Math.round(CONFIG.photoMaxBytes / 1048576) })];
    } else {
      state.form.values[code] = { id: newKey(), blob: file, name: file.name, type: file.type, size: file.size };
    }
    changed(question);
  }

  let draftTimer = null;

  function changed(question) {
    refresh(question.code);
    clearTimeout(draftTimer);
    const form = state.form;
    draftTimer = setTimeout(() => {
      if (form.fixing) return; // a correction lives in its queue item until it is sent again
      store.set(draftKey(form.form.id, form.station.id), { values: form.values, saved_at: Date.now() });
    }, 300);
  }

  // What an input holds, checked as the server will: {value}, {blank} or {error}.
  function clean(question, raw) {
    const type = question.type;
    if (raw === undefined || raw === null) return { blank: true };
    if (type === "yes_no") return typeof raw === "boolean" ? { value: raw } : { blank: true };
    if (type === "number") {
      if (!String(raw).trim()) return { blank: true };
      if (!WHOLE_NUMBER.test(String(raw))) return { error: t("wholeNumber") };
      const value = parseInt(String(raw).trim(), 10);
      if (Math.abs(value) > CONFIG.numberLimit) return { error: t("wholeNumber") };
      const low = question.min;
      const high = question.max;
      const hasLow = low !== undefined && low !== null;
      const hasHigh = high !== undefined && high !== null;
      if (hasLow && hasHigh && !(low <= value && value <= high)) return { error: t("numberRange", { min: low, max: high }) };
      if (hasLow && value < low) return { error: t("numberMin", { min: low }) };
      if (hasHigh && value > high) return { error: t("numberMax", { max: high }) };
      return { value };
    }
    if (type === "single") {
      if (raw === "") return { blank: true };
      const allowed = (question.options || []).map((option) => String(option.value));
      return allowed.includes(raw) ? { value: raw } : { error: t("chooseOne") };
    }
    if (type === "multiple") {
      if (!Array.isArray(raw) || !raw.length) return { blank: true };
      const allowed = (question.options || []).map((option) => String(option.value));
      return { value: allowed.filter((option) => raw.includes(option)) };
    }
    if (type === "text") {
      const text = String(raw).trim();
      if (!text) return { blank: true };
      if (text.length > CONFIG.textMaxLength) return { error: t("textLength", { count: CONFIG.textMaxLength }) };
      return { value: text };
    }
    if (type === "time") {
      const text = String(raw).trim();
      if (!text) return { blank: true };
      const match = TIME.exec(text);
      if (!match) return { error: t("timeFormat") };
      return { value: `${match[1].padStart(2, "0")}:${match[2]}` };
    }
    if (type === "photo") return raw && raw.id ? { value: raw.id } : { blank: true };
    return { blank: true };
  }

  function isRelevant(question, answers) {
    if (!question.relevant) return true;
    try {
      return expressions.isTrue(question.relevant, answers);
    } catch (error) {
      return true; // a condition this phone cannot read: ask the question
    }
  }

  // Walks the form in order as questionnaires.engine.check_answers does.
  function evaluate() {
    const answers = {};
    const errors = {};
    const visible = [];
    for (const { question } of state.form.entries) {
      if (!isRelevant(question, answers)) continue;
      visible.push(question);
      const result = clean(question, state.form.values[question.code]);
      if (result.blank) {
        if (question.required) errors[question.code] = [t("needsAnswer")];
      } else if (result.error) {
        errors[question.code] = [result.error];
      } else {
        answers[question.code] = result.value;
      }
    }
    for (const rule of state.form.form.schema.rules || []) {
      if ((rule.questions || []).some((code) => errors[code])) continue;
      try {
        if (expressions.isUnknown(rule.check, answers) || expressions.isTrue(rule.check, answers)) continue;
      } catch (error) {
        continue;
      }
      errors[rule.code || "__all__"] = [label(rule.message)];
    }
    return { answers, errors, visible };
  }

  function refresh(changedCode) {
    const { errors, visible } = evaluate();
    const shown = new Set(visible.map((question) => question.code));
    for (const { question } of state.form.entries) {
      $(`q-${question.code}`).hidden = !shown.has(question.code);
    }
    state.form.visible = visible;
    // An error the observer has put right goes away at once; new ones wait for "Send" (or
    // "Next"). Errors only the server knows stay until the question is changed.
    const rules = state.form.form.schema.rules || [];
    for (const code of Object.keys(state.form.shownErrors)) {
      const rule = rules.find((item) => item.code === code);
      if (state.form.entries.some(({ question }) => question.code === code)) {
        if (!shown.has(code)) delete state.form.shownErrors[code];
        else if (code === changedCode) {
          if (errors[code]) state.form.shownErrors[code] = errors[code];
          else delete state.form.shownErrors[code];
        }
      } else if (rule && !errors[code] && (rule.questions || []).includes(changedCode)) {
        delete state.form.shownErrors[code];
      }
    }
    paintErrors();
    paintPhotos();
    if (state.mode === "steps") paintStep();
    else paintPage();
  }

  function paintPhotos() {
    for (const { question } of state.form.entries) {
      if (question.type !== "photo") continue;
      const photo = state.form.values[question.code];
      const status = $(`q-${question.code}-photo`);
      status.textContent = photo ? t("photoChosen", { name: photo.name || "", size: Math.max(1, Math.round(photo.size / 1024)) }) : "";
      status.nextElementSibling.hidden = !photo;
    }
  }

  // Errors under their questions; rule errors under the last question they name.
  function paintErrors() {
    const byQuestion = {};
    const codes = new Set(state.form.entries.map(({ question }) => question.code));
    for (const [key, messages] of Object.entries(state.form.shownErrors)) {
      if (codes.has(key)) {
        (byQuestion[key] = byQuestion[key] || []).push(...messages);
        continue;
      }
      const rule = (state.form.form.schema.rules || []).find((item) => item.code === key);
      const target = rule && (rule.questions || []).filter((code) => codes.has(code)).pop();
      if (target) (byQuestion[target] = byQuestion[target] || []).push(...messages);
    }
    for (const { question } of state.form.entries) {
      const code = question.code;
      const node = $(`q-${code}-error`);
      const messages = byQuestion[code] || [];
      node.textContent = messages.join(" ");
      node.hidden = !messages.length;
      $(`q-${code}`).classList.toggle("field--error", Boolean(messages.length));
      for (const input of $(`q-${code}`).querySelectorAll("input, textarea")) {
        if (messages.length) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }
    const box = $("form-errors");
    const list = box.querySelector("ul");
    list.replaceChildren();
    const entries = Object.entries(state.form.shownErrors);
    for (const [key, messages] of entries) {
      const target = codes.has(key) ? key : null;
      const text = `${key === "__all__" ? "" : `${key}: `}${messages.join(" ")}`;
      if (target) {
        const link = el("a", { href: `#q-${target}`, "data-question": target, text });
        list.append(el("li", {}, link));
      } else {
        list.append(el("li", { text }));
      }
    }
    $("form-errors-title").textContent = t("errorSummary");
    box.hidden = !entries.length;
  }

  function showErrors(errors, { moveFocus = true } = {}) {
    state.form.shownErrors = {};
    for (const [key, messages] of Object.entries(errors)) {
      state.form.shownErrors[key] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
    }
    paintErrors();
    if (state.mode === "steps") {
      const first = state.form.visible.findIndex((question) => state.form.shownErrors[question.code]);
      if (first >= 0) state.form.step = first;
      paintStep();
    }
    if (moveFocus) focus($("form-errors"));
  }

  function focusQuestion(code) {
    if (state.mode === "steps") {
      const index = state.form.visible.findIndex((question) => question.code === code);
      if (index >= 0) {
        state.form.step = index;
        paintStep();
      }
    }
    const wrapper = $(`q-${code}`);
    focus(wrapper && wrapper.querySelector("input, textarea"));
  }

  // --- One question at a time, or all of them -------------------------------------------------------

  function setMode(mode, { moveFocus = true } = {}) {
    state.mode = mode;
    saveMode(mode);
    $("mode-steps").setAttribute("aria-pressed", String(mode === "steps"));
    $("mode-page").setAttribute("aria-pressed", String(mode === "page"));
    if (!state.form) return;
    if (mode === "steps") paintStep();
    else paintPage();
    if (moveFocus && mode === "steps") focusCurrentStep();
  }

  function paintPage() {
    for (const section of document.querySelectorAll("#questions .phone-section")) {
      section.hidden = !Array.from(section.querySelectorAll(".phone-question")).some((node) => !node.hidden);
    }
    for (const node of document.querySelectorAll("#questions .phone-question")) node.classList.remove("phone-question--off");
    $("previous").hidden = true;
    $("next").hidden = true;
    $("send").hidden = false;
    $("form-progress").textContent = "";
  }

  function paintStep() {
    const visible = state.form.visible || [];
    const step = Math.min(Math.max(state.form.step, 0), Math.max(visible.length - 1, 0));
    state.form.step = step;
    const current = visible[step];
    for (const node of document.querySelectorAll("#questions .phone-question")) {
      node.classList.toggle("phone-question--off", !current || node.dataset.code !== current.code);
    }
    for (const section of document.querySelectorAll("#questions .phone-section")) {
      section.hidden = !current || !section.querySelector(`[data-code="${current.code}"]`);
    }
    $("previous").hidden = step === 0;
    $("next").hidden = step >= visible.length - 1;
    $("send").hidden = step < visible.length - 1;
    $("form-progress").textContent = visible.length ? t("questionOf", { number: step + 1, total: visible.length }) : "";
  }

  function focusCurrentStep() {
    const current = (state.form.visible || [])[state.form.step];
    if (current) focus($(`q-${current.code}`).querySelector("input, textarea"));
  }

  function nextStep() {
    const current = state.form.visible[state.form.step];
    const { errors } = evaluate();
    if (current && errors[current.code]) {
      state.form.shownErrors[current.code] = errors[current.code];
      paintErrors();
      focusCurrentStep();
      return;
    }
    state.form.step += 1;
    paintStep();
    focusCurrentStep();
  }

  function previousStep() {
    state.form.step -= 1;
    paintStep();
    focusCurrentStep();
  }

  // --- Sending a form -------------------------------------------------------------------------------

  async function submitForm(event) {
    event.preventDefault();
    const form = state.form;
    const { answers, errors } = evaluate();
    if (Object.keys(errors).length) return showErrors(errors);
    const photos = {};
    for (const question of form.visible) {
      if (question.type === "photo" && answers[question.code]) {
        const photo = form.values[question.code];
        photos[question.code] = { id: photo.id, blob: photo.blob, name: photo.name, type: photo.type, size: photo.size, uploaded: false };
      }
    }
    const item = {
      key: newKey(),
      form_id: form.form.id,
      form_code: form.form.code,
      station_id: form.station.id,
      station_code: form.station.code,
      answers,
      photos,
      submitted_at: new Date().toISOString(),
      created_at: Date.now(),
      state: "waiting",
      message: "",
      errors: null,
    };
    $("send").disabled = true;
    try {
      await store.queue.put(item);
      // The correction replaces the refused form; nothing of it was stored by the server.
      if (form.fixing) await store.queue.remove(form.fixing.key);
      clearTimeout(draftTimer);
      await store.remove(draftKey(form.form.id, form.station.id));
    } finally {
      $("send").disabled = false;
    }
    state.queue = await store.queue.all();
    state.form = null;
    history.pushState(null, "", "#/");
    showHome();
    showNotice(t("stateSending"), "");
    await flush();
    const after = state.queue.find((other) => other.key === item.key);
    if (!after || after.state === "sent") showNotice(t("sent"), "success");
    else if (after.state === "rejected") {
      showNotice(t("rejected"), "error");
      location.hash = `#/fix/${item.key}`;
    } else showNotice(t("savedOffline"), "warning");
  }

  // --- Routing (#/, #/form/<form>/<station>, #/fix/<queue key>) ------------------------------------

  function showHome() {
    state.form = null;
    $("sign-out-warning").hidden = true;
    state.signOutArmed = false;
    renderHome();
    // Focus follows the observer's moves, not the first load.
    showScreen("screen-home", { moveFocus: state.started });
  }

  function route() {
    if (!state.token || !state.me) return;
    const hash = location.hash || "#/";
    let match = /^#\/form\/(\d+)\/(\d+)$/.exec(hash);
    if (match) return openForm(Number(match[1]), Number(match[2]));
    match = /^#\/fix\/([\w-]+)$/.exec(hash);
    if (match) {
      const item = state.queue.find((other) => other.key === match[1] && other.state === "rejected");
      if (item) return openForm(item.form_id, item.station_id, item);
    }
    if (hash.startsWith("#/")) {
      showHome();
      if (hash !== "#/") history.replaceState(null, "", "#/");
    }
  }

  // --- Start ---------------------------------------------------------------------------------------

  function wire() {
    $("phone-form").addEventListener("submit", requestCode);
    $("code-form").addEventListener("submit", verifyCode);
    $("access-form").addEventListener("submit", accessCode);
    $("other-number").addEventListener("click", () => {
      $("code-form").hidden = true;
      $("phone-form").hidden = false;
      focus($("phone-number"));
    });
    $("sign-out").addEventListener("click", signOut);
    $("send-now").addEventListener("click", () => flush());
    $("queue-items").addEventListener("click", (event) => {
      const button = event.target.closest("[data-discard]");
      if (button) discard(button.dataset.discard);
    });
    $("form-back").addEventListener("click", (event) => {
      event.preventDefault();
      location.hash = "#/";
    });
    $("mode-steps").addEventListener("click", () => setMode("steps"));
    $("mode-page").addEventListener("click", () => setMode("page"));
    $("answers").addEventListener("submit", submitForm);
    $("next").addEventListener("click", nextStep);
    $("previous").addEventListener("click", previousStep);
    $("form-errors").addEventListener("click", (event) => {
      const link = event.target.closest("[data-question]");
      if (!link) return;
      event.preventDefault();
      focusQuestion(link.dataset.question);
    });
    window.addEventListener("hashchange", route);
    window.addEventListener("online", async () => {
      updateConnection();
      if (state.token && (await loadMe())) {
        if ($("screen-form").hidden) route(); // never under the observer's fingers
      }
      flush();
    });
    window.addEventListener("offline", updateConnection);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush();
    });
    setInterval(() => {
      if (state.queue.some((item) => item.state === "waiting")) flush();
    }, RETRY_MS);
  }

  async function start() {
    wire();
    updateConnection();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(CONFIG.serviceWorker).catch(() => {
        /* without it the page still works online */
      });
    }
    state.token = (await store.get("token")) || null;
    await loadQueue();
    if (!state.token) return showSignIn();
    if (!(await loadMe())) return;
    if (!location.hash.startsWith("#/")) history.replaceState(null, "", "#/");
    await route();
    state.started = true;
    flush();
  }

  start();
})();
