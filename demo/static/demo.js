// The demo page: the chats with the bot, kept live by long-polling /api/events, and the
// scripted scene the server plays through the bot (its caption comes with each poll).
// Bot HTML arrives already made safe by the server; everything else goes in as text.
// For keyboards and screen readers: each chat is its own live region (role=log), its toasts
// another; when the bot redraws a message that held the focus, the focus stays on the same
// button or, once the buttons are gone, moves to the message and then to the next question.
// Times are the bot's: 24-hour UTC.
"use strict";

(() => {
  const EMPTY = {
    practitioner:
      "Press \u201cRegister with invite\u201d above to register and start a check, " +
      "or type /start to try a check without registering.",
    board: "Referrals filed by practitioners are announced here. Officers can type /queue or /help.",
    chair: "The independent chair\u2019s decision cards arrive here.",
    la: "The local authority lead\u2019s decision cards arrive here (the partners decide jointly).",
    icb: "The integrated care board lead\u2019s decision cards arrive here (the partners decide jointly).",
    police: "The police lead\u2019s decision cards arrive here (the partners decide jointly).",
    lead:
      "The police\u2019s agency lead gets the actions of a review\u2019s plan here. " +
      "Press \u201cPlay \u2018A review\u2019s learning\u2019\u201d above to see one.",
  };
  const seats = new Map(); // slug -> {seat, root, list, toasts, typing, nodes: Map(id -> element)}
  let seq = 0;
  let sceneVersion = -1;
  let botName = "Bot";

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // The per-run token the page was served with: the API answers only requests that carry it.
  const TOKEN = document.querySelector('meta[name="demo-token"]').content;
  const api = (path, options = {}) =>
    fetch(path, { ...options, headers: { ...(options.headers || {}), "X-Demo-Token": TOKEN } });

  async function post(path, body) {
    const response = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    return answer;
  }

  function setStatus(state, text) {
    const status = document.getElementById("status");
    status.className = `status ${state}`;
    document.getElementById("status-text").textContent = text;
  }

  function toast(slug, text, alert) {
    const chat = seats.get(slug);
    if (!chat) return;
    const node = el("div", alert ? "toast alert" : "toast"); // in the chat's status region
    if (alert) node.setAttribute("role", "alert");
    node.append(el("span", "toast-text", text));
    const remove = () => node.remove();
    if (alert) {
      const ok = el("button", "", "OK");
      ok.type = "button";
      ok.addEventListener("click", remove);
      node.append(ok);
      setTimeout(remove, 12000);
    } else {
      setTimeout(remove, 3500);
    }
    chat.toasts.append(node);
  }

  function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function keyboard(slug, message) {
    const board = el("div", "keyboard");
    for (const row of message.buttons) {
      const line = el("div", "row");
      for (const button of row) {
        if (button.data !== null) {
          const press = el("button", "key", button.text);
          press.type = "button";
          press.dataset.data = button.data;
          press.addEventListener("click", () => pressButton(slug, message.id, button.data, board));
          line.append(press);
        } else if (button.url) {
          const link = el("a", "key", `${button.text} \u2197`);
          link.href = button.url;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          line.append(link);
        }
      }
      board.append(line);
    }
    return board;
  }

  function messageNode(chat, message) {
    const slug = chat.seat.slug;
    const node = el("div", `msg ${message.from_bot ? "bot" : "user"}`);
    node.dataset.id = String(message.id);
    const bubble = el("div", "bubble");
    if (chat.seat.is_group) bubble.append(el("div", "sender", message.from_bot ? botName : message.sender));
    if (message.html) {
      const body = el("div", "body");
      body.innerHTML = message.html; // made safe by the server (allowed tags only)
      for (const spoiler of body.querySelectorAll(".spoiler")) {
        spoiler.addEventListener("click", () => spoiler.classList.add("shown"));
      }
      bubble.append(body);
    }
    if (message.document) {
      const doc = el("a", "document");
      doc.href = `${message.document.url}?token=${encodeURIComponent(TOKEN)}`;
      doc.setAttribute("download", message.document.name);
      const icon = el("span", "doc-icon", "\u2193");
      const info = el("span", "doc-info");
      info.append(el("div", "doc-name", message.document.name));
      info.append(el("div", "doc-size", formatSize(message.document.size)));
      doc.append(icon, info);
      bubble.append(doc);
    }
    const meta = el("div", "meta", message.edited ? "edited " : "");
    meta.append(clock(message.edited && message.edit_date ? message.edit_date : message.date));
    bubble.append(meta);
    node.append(bubble);
    if (message.buttons.length) node.append(keyboard(slug, message));
    return node;
  }

  // A time as the bot writes it (24-hour, UTC), machine-readable in its datetime.
  function clock(seconds) {
    const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const time = el("time", "", `${iso.slice(11, 16)} UTC`);
    time.dateTime = iso;
    return time;
  }

  // Where the focus goes when the bot redraws a message that held it: the same button (by
  // its data, else its label), else the message itself, which then hands the focus on to the
  // next message the bot sends in that chat (the new question).
  function keepFocus(chat, old, node, active) {
    if (!active || !old.contains(active)) return;
    const keys = [...node.querySelectorAll("button.key")];
    const same =
      keys.find((key) => active.dataset.data && key.dataset.data === active.dataset.data) ||
      keys.find((key) => key.textContent === active.textContent);
    if (same) {
      same.focus();
      return;
    }
    node.tabIndex = -1;
    node.focus();
    chat.handOn = node;
  }

  function handOnFocus(chat, node) {
    const active = document.activeElement;
    if (!chat.handOn || (active !== chat.handOn && active !== document.body)) {
      chat.handOn = null;
      return;
    }
    node.tabIndex = -1;
    node.focus();
    chat.handOn = node;
  }

  function nearBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  }

  function showMessage(slug, message, live) {
    const chat = seats.get(slug);
    if (!chat) return;
    const stick = nearBottom(chat.list);
    const node = messageNode(chat, message);
    const old = chat.nodes.get(message.id);
    chat.list.querySelector(".empty")?.remove();
    if (old) {
      const active = document.activeElement; // read before the old node leaves the page
      old.replaceWith(node); // an edit: in place
      keepFocus(chat, old, node, active);
    } else {
      const later = [...chat.nodes.entries()].filter(([id]) => id > message.id).map(([, n]) => n);
      if (later.length) chat.list.insertBefore(node, later.reduce((a, b) => (+a.dataset.id < +b.dataset.id ? a : b)));
      else chat.list.append(node);
      if (live) node.classList.add("fresh");
      if (live && message.from_bot) handOnFocus(chat, node);
    }
    chat.nodes.set(message.id, node);
    if (!old || stick) chat.list.scrollTop = chat.list.scrollHeight;
  }

  function removeMessage(slug, id) {
    const chat = seats.get(slug);
    const node = chat?.nodes.get(id);
    if (node) {
      const held = node.contains(document.activeElement);
      node.remove();
      if (held) chat.list.focus(); // not lost to the body
      chat.nodes.delete(id);
    }
  }

  function typing(slug) {
    const chat = seats.get(slug);
    if (!chat) return;
    chat.typing.hidden = false;
    clearTimeout(chat.typingTimer);
    chat.typingTimer = setTimeout(() => (chat.typing.hidden = true), 4000);
  }

  async function pressButton(slug, messageId, data, board) {
    if (board.classList.contains("pending")) return;
    board.classList.add("pending");
    try {
      await post("/api/press", { seat: slug, message_id: messageId, data });
    } catch (error) {
      toast(slug, error.message, false);
    } finally {
      setTimeout(() => board.classList.remove("pending"), 600);
    }
  }

  async function send(slug, text) {
    await post("/api/send", { seat: slug, text });
  }

  // The dashboard as Telegram shows a Mini App: in a frame, with init data signed for the
  // seat's person (by the demo, with its own token), checked by the bot as Telegram's is.
  async function openDashboard(seat, button) {
    const dialog = document.getElementById("dashboard");
    const answer = await api(`/api/dashboard/${seat.slug}`);
    const body = await answer.json();
    if (!answer.ok) {
      toast(seat.slug, body.error || "The dashboard could not be opened.", false);
      return;
    }
    document.getElementById("dashboard-title").textContent = `Dashboard — ${seat.person}`;
    document.getElementById("dashboard-frame").src = body.url;
    dialog.returnFocus = button;
    dialog.showModal();
  }

  function buildChat(seat) {
    const template = document.getElementById("chat-template");
    const root = template.content.firstElementChild.cloneNode(true);
    root.dataset.seat = seat.slug;
    root.querySelector(".avatar").textContent = seat.marker || seat.person.charAt(0);
    root.querySelector(".chat-title").textContent = seat.title;
    root.querySelector(".chat-sub").textContent = seat.subtitle;
    if (seat.dashboard) {
      const open = el("button", "dashboard-open", "Dashboard");
      open.type = "button";
      open.title = `Open the board's dashboard as ${seat.person}, as the bot's menu button does`;
      open.addEventListener("click", () => openDashboard(seat, open));
      root.querySelector(".chat-head").append(open);
    }
    const list = root.querySelector(".messages");
    list.setAttribute("aria-label", seat.title);
    list.append(el("p", "empty", EMPTY[seat.slug] || "No messages yet."));
    const form = root.querySelector(".composer");
    const box = form.querySelector("textarea");
    box.placeholder = `Message as ${seat.person}`;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = box.value;
      if (!text.trim()) return;
      box.disabled = true;
      try {
        await send(seat.slug, text);
        box.value = "";
      } catch (error) {
        toast(seat.slug, error.message, false);
      } finally {
        box.disabled = false;
        box.focus();
      }
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    const chat = {
      seat,
      root,
      list,
      toasts: root.querySelector(".toasts"),
      typing: root.querySelector(".typing"),
      nodes: new Map(),
      handOn: null, // the redrawn message holding the focus until the next question comes
    };
    seats.set(seat.slug, chat);
    return root;
  }

  function apply(change) {
    if (change.type === "message") showMessage(change.seat, change.message, true);
    else if (change.type === "delete") removeMessage(change.seat, change.id);
    else if (change.type === "toast") toast(change.seat, change.text, change.alert);
    else if (change.type === "typing") typing(change.seat);
  }

  function showInvite(invite) {
    const code = document.getElementById("invite-code");
    const register = document.getElementById("register");
    code.textContent = invite.code || "none";
    register.disabled = !invite.code;
    register.title = invite.code ? `Sends /start ${invite.code} as the practitioner` : "";
    register.addEventListener("click", async () => {
      try {
        await send("practitioner", `/start ${invite.code}`);
      } catch (error) {
        toast("practitioner", error.message, false);
      }
    });
  }

  // The scene's button and caption: offered when the page has the seats it plays.
  function showScene(scene) {
    const box = document.getElementById("scene");
    const play = document.getElementById("play-learning");
    const caption = document.getElementById("scene-caption");
    sceneVersion = scene.version;
    box.hidden = !scene.available.includes("learning");
    play.disabled = scene.state === "playing";
    caption.hidden = !scene.caption;
    caption.textContent = scene.caption;
    caption.className = `scene-caption ${scene.state}`;
  }

  function offerScene() {
    const play = document.getElementById("play-learning");
    play.addEventListener("click", async () => {
      play.disabled = true;
      try {
        const answer = await post("/api/scene", { name: "learning" });
        showScene(answer.scene);
      } catch (error) {
        const caption = document.getElementById("scene-caption");
        caption.hidden = false;
        caption.textContent = error.message;
        play.disabled = false;
      }
    });
  }

  async function poll() {
    for (;;) {
      try {
        const response = await api(`/api/events?since=${seq}&scene=${sceneVersion}`, { cache: "no-store" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = await response.json();
        setStatus("live", "live");
        for (const change of body.changes) apply(change);
        if (body.scene.version !== sceneVersion) showScene(body.scene);
        seq = Math.max(seq, body.seq);
      } catch (error) {
        setStatus("down", "not connected: is the demo still running?");
        await sleep(1500);
      }
    }
  }

  async function start() {
    let state;
    for (;;) {
      try {
        const response = await api("/api/state", { cache: "no-store" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        state = await response.json();
        break;
      } catch (error) {
        setStatus("down", "not connected: is the demo still running?");
        await sleep(1500);
      }
    }
    botName = state.bot.name;
    const chats = document.getElementById("chats");
    chats.style.setProperty("--columns", String(state.seats.length));
    for (const seat of state.seats) {
      chats.append(buildChat(seat));
      for (const message of seat.messages) showMessage(seat.slug, message, false);
    }
    showInvite(state.invite);
    showScene(state.scene);
    offerScene();
    seq = state.seq;
    setStatus("live", "live");
    document.body.dataset.ready = "true";
    poll();
  }

  const dashboard = document.getElementById("dashboard");
  document.getElementById("dashboard-close").addEventListener("click", () => dashboard.close());
  dashboard.addEventListener("close", () => {
    document.getElementById("dashboard-frame").removeAttribute("src");
    if (dashboard.returnFocus) dashboard.returnFocus.focus();
  });

  start();
})();
