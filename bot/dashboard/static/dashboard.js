// The board's dashboard: reads the Mini App's init data (Telegram's script when it loaded,
// else the address's #tgWebAppData= fragment), asks the API for each view with it, and draws
// each view with text nodes only (nothing the API sends is read as markup).
"use strict";

(function () {
  const words = JSON.parse(document.getElementById("words").textContent);
  const status = document.getElementById("status");
  const fragment = new URLSearchParams(window.location.hash.slice(1));

  function say(name, values) {
    let text = words[name];
    for (const [key, value] of Object.entries(values || {})) {
      text = text.split("{" + key + "}").join(String(value));
    }
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function initData() {
    const app = window.Telegram && window.Telegram.WebApp;
    if (app && app.initData) return app.initData;
    return fragment.get("tgWebAppData") || "";
  }

  function theme() {
    const app = window.Telegram && window.Telegram.WebApp;
    if (app && app.initData) {
      app.ready();
      document.documentElement.dataset.scheme = app.colorScheme || "";
      return;
    }
    // Outside Telegram's script: its theme, as Telegram passes it in the address.
    let params = {};
    try {
      params = JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
    } catch (error) {
      params = {};
    }
    for (const [key, value] of Object.entries(params)) {
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        document.documentElement.style.setProperty("--tg-theme-" + key.split("_").join("-"), value);
      }
    }
  }

  function badge(state) {
    return el("span", { class: "badge " + state }, say(state));
  }

  function left(clock) {
    const n = clock.days_left;
    if (n < 0) return n === -1 ? say("day_late") : say("days_late", { n: -n });
    if (n === 0) return say("due_today");
    return n === 1 ? say("day_left") : say("days_left", { n: n });
  }

  function clockItem(clock) {
    return el(
      "li",
      { class: "clock " + clock.state },
      badge(clock.state),
      " ",
      el("span", { class: "label" }, clock.label),
      ": ",
      left(clock),
      " (" + say("due", { date: clock.due }) + ")"
    );
  }

  function empty(name) {
    return el("p", { class: "empty" }, say(name));
  }

  function drawQueue(data) {
    if (!data.referrals.length) return empty("no_referrals");
    const list = el("ul", { class: "cards" });
    for (const r of data.referrals) {
      const clocks = r.clocks.length
        ? el("ul", { class: "clocks" }, ...r.clocks.map(clockItem))
        : el("p", { class: "quiet" }, say("no_clocks"));
      list.append(
        el(
          "li",
          { class: "card " + r.state },
          el(
            "h3",
            {},
            r.ref,
            r.urgent ? el("span", { class: "badge urgent" }, say("urgent")) : null
          ),
          el("p", { class: "meta" }, r.grade + " · " + r.status + " · " + say("filed", { date: r.filed })),
          clocks
        )
      );
    }
    return list;
  }

  function actionItem(a, withRef) {
    return el(
      "li",
      { class: "action " + a.state },
      badge(a.state),
      " ",
      el("span", { class: "id" }, withRef ? a.id : a.id + " · " + a.agency),
      " (" + say("due", { date: a.due }) + ", " + a.status + "): ",
      a.text
    );
  }

  function drawReviews(data) {
    if (!data.reviews.length) return empty("no_reviews");
    const list = el("ul", { class: "cards" });
    for (const r of data.reviews) {
      const agencies = r.agency_reviews.length
        ? el(
            "ul",
            {},
            ...r.agency_reviews.map((a) =>
              el(
                "li",
                { class: "clock " + a.state },
                badge(a.state),
                " " + a.agency + ": " + say(a.progress) + " (" + say("due", { date: a.due }) + ")"
              )
            )
          )
        : el("p", { class: "quiet" }, say("none_yet"));
      const actions = r.actions.length
        ? el("ul", {}, ...r.actions.map((a) => actionItem(a, false)))
        : el("p", { class: "quiet" }, say("none_yet"));
      list.append(
        el(
          "li",
          { class: "card" + (r.behind > 0 ? " late" : "") },
          el("h3", {}, r.ref),
          el("p", { class: "meta" }, r.grade + " · " + r.stage),
          r.due ? el("p", {}, say("next_due", { day: r.due })) : null,
          r.behind > 0 ? el("span", { class: "badge late" }, say("behind", { n: r.behind })) : null,
          el("p", {}, say("terms") + ": " + say("terms_" + (r.terms || "none"))),
          el("h4", {}, say("agency_reviews")),
          agencies,
          el("h4", {}, say("actions")),
          actions
        )
      );
    }
    return list;
  }

  function drawActions(data) {
    if (!data.agencies.length) return empty("no_actions");
    const list = el("ul", { class: "cards" });
    for (const group of data.agencies) {
      list.append(
        el(
          "li",
          { class: "card" + (group.late ? " late" : "") },
          el(
            "h3",
            {},
            group.agency,
            group.late ? el("span", { class: "badge late" }, say("late_count", { n: group.late })) : null
          ),
          el("ul", {}, ...group.actions.map((a) => actionItem(a, true)))
        )
      );
    }
    return list;
  }

  function table(caption, head, rows) {
    return el(
      "div",
      { class: "scroll", tabindex: "0", role: "region", "aria-label": caption },
      el(
        "table",
        {},
        el("caption", {}, caption),
        el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          ...rows.map((row) =>
            el("tr", {}, el("th", { scope: "row" }, row[0]), ...row.slice(1).map((c) => el("td", {}, String(c))))
          )
        )
      )
    );
  }

  function drawReach(data) {
    if (!data.briefs.length) return empty("no_briefs");
    const rows = data.briefs.map((b) => [
      b.ref + (b.case_study ? " (" + say("case_study") + ")" : ""),
      b.approved ? say("approved") : say("not_approved"),
      b.sent,
      b.read,
      b.agencies.map((a) => a.agency + ": " + say("read_of", { read: a.read, sent: a.sent })).join("; "),
    ]);
    return table(document.getElementById("reach-title").textContent + " " + data.year, [say("brief"), say("brief_status"), say("sent_to"), say("read_by"), say("by_agency")], rows);
  }

  function drawChart(data) {
    const total = data.months.reduce((sum, m) => sum + m.counts.reduce((a, b) => a + b, 0), 0);
    const most = Math.max(1, ...data.months.map((m) => m.counts.reduce((a, b) => a + b, 0)));
    const label = say("chart_label", { year: data.year, total: total });
    const bars = el("figure", { class: "chart" });
    const rows = el("div", { class: "bars", role: "img", "aria-label": label });
    data.months.forEach((m, i) => {
      const bar = el("div", { class: "bar" });
      m.counts.forEach((n, g) => {
        if (!n) return;
        const seg = el("span", { class: "seg g" + g });
        seg.style.width = (100 * n) / most + "%"; // through the CSSOM: no inline style attribute
        bar.append(seg);
      });
      rows.append(el("div", { class: "row", "aria-hidden": "true" }, el("span", { class: "m" }, words.months[i].slice(0, 3)), bar));
    });
    const legend = el(
      "ul",
      { class: "legend" },
      ...data.grades.map((g, i) => el("li", {}, el("span", { class: "key g" + i, "aria-hidden": "true" }), g.label))
    );
    bars.append(rows, legend, el("figcaption", {}, label));
    const head = [say("month"), ...data.grades.map((g) => g.label), say("total")];
    const body = data.months.map((m, i) => [words.months[i], ...m.counts, m.counts.reduce((a, b) => a + b, 0)]);
    return el("div", {}, bars, table(label, head, body));
  }

  const DRAW = { queue: drawQueue, reviews: drawReviews, actions: drawActions, reach: drawReach, chart: drawChart };
  const REFUSED = { 401: "unauthenticated", 403: "forbidden", 429: "too_fast" };

  async function load() {
    const data = initData();
    const headers = { Authorization: "tma " + data };
    status.textContent = say("loading");
    const views = Array.from(document.querySelectorAll(".view"));
    for (const view of views) {
      const name = view.dataset.view;
      let answer;
      try {
        answer = await fetch("api/" + name, { headers: headers, cache: "no-store", credentials: "omit" });
      } catch (error) {
        status.textContent = say("failed");
        return;
      }
      if (!answer.ok) {
        status.textContent = say(REFUSED[answer.status] || "failed");
        document.body.classList.add("refused");
        return;
      }
      view.replaceChildren(DRAW[name](await answer.json()));
    }
    status.textContent = say("loaded");
    document.body.classList.add("loaded");
  }

  theme();
  load();
})();
