// Pipewright dashboard: the little JavaScript the server-rendered pages need.
//  - [data-live]: a part of the page the server renders again every few seconds while it changes;
//    it stops by itself when the server renders it with data-live="off" (a run that ended).
//  - #log[data-stream]: the shared log, followed over server-sent events. Every line is built with
//    textContent, so a message holding markup shows as characters and never runs.
//  - time[datetime]: shown in the reader's time zone.
"use strict";

(function () {
  const FRAGMENT_HEADER = "X-Pipewright-Fragment";

  const two = (n) => String(n).padStart(2, "0");
  // 2026-11-28 10:59:03 in the reader's zone: sortable, the same on every locale, never wrapped.
  const clock = (d) => two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  const day = (d) => d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());

  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach((el) => {
      const when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.title = el.getAttribute("datetime");
        el.textContent = el.classList.contains("clock") ? clock(when) : day(when) + " " + clock(when);
      }
    });
  }

  function follow(part) {
    const every = Number(part.dataset.liveMs || 2000);
    let busy = false;
    const timer = setInterval(async () => {
      // Not while hidden, and not under the reader's hands: redrawing would close an open list.
      const using = document.activeElement;
      if (busy || document.hidden || (using && using !== document.body && part.contains(using))) return;
      busy = true;
      const abort = new AbortController();
      const late = setTimeout(() => abort.abort(), 10000);
      try {
        const url = part.dataset.liveUrl || window.location.href;
        const answer = await fetch(url, {
          headers: { [FRAGMENT_HEADER]: part.id }, credentials: "same-origin", signal: abort.signal });
        if (answer.redirected || answer.status === 401 || answer.status === 404) {
          clearInterval(timer); // signed out, or gone: a reload says which
          return;
        }
        if (!answer.ok) return;
        const holder = document.createElement("template");
        holder.innerHTML = (await answer.text()).trim(); // our own escaped server rendering
        const fresh = holder.content.getElementById(part.id);
        if (!fresh) return;
        localTimes(fresh);
        part.replaceWith(fresh);
        part = fresh;
        if (fresh.dataset.live === "off") clearInterval(timer);
      } catch (e) {
        // The service may be restarting, or the answer was late: try again at the next tick.
      } finally {
        clearTimeout(late);
        busy = false;
      }
    }, every);
  }

  function cell(cls, text) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  function logLine(record) {
    const line = document.createElement("div");
    line.className = "line lvl-" + record.level;
    line.dataset.seq = record.seq;
    line.append(cell("seq", "#" + record.seq));
    const time = cell("time", clock(new Date(record.time)));
    time.title = record.time;
    line.append(time);
    line.append(cell("level", record.level));
    const source = document.createElement("span");
    source.className = "source";
    source.title = record.source;
    if (record.jobId != null) {
      const link = document.createElement("a");
      link.href = "/jobs/" + encodeURIComponent(record.jobId);
      link.textContent = record.source;
      source.append(link);
    } else {
      source.textContent = record.source;
    }
    line.append(source);
    line.append(cell("msg", (record.stream ? "[" + record.stream + "] " : "") + record.message));
    return line;
  }

  // A browser keeps about six connections per site: a stream is closed while its tab is hidden, so
  // a few log tabs do not starve every other page, and opened again after the last record seen.
  function followLog(log) {
    const status = document.getElementById("log-status");
    const max = Number(log.dataset.maxLines || 5000);
    let last = null;
    let source = null;
    const say = (on, text) => {
      if (!status) return;
      status.querySelector(".live-dot").classList.toggle("on", on);
      status.querySelector(".text").textContent = text;
    };
    const open = () => {
      const url = new URL(log.dataset.stream, window.location.href);
      if (last !== null) url.searchParams.set("after", last);
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => say(true, "following live");
      source.onerror = () =>
        say(false, source.readyState === EventSource.CLOSED ? "stopped: reload the page" : "reconnecting…");
      source.addEventListener("record", (event) => {
        const record = JSON.parse(event.data);
        const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 30;
        const empty = log.querySelector(".empty");
        if (empty) empty.remove();
        log.append(logLine(record));
        while (log.childElementCount > max) log.firstElementChild.remove();
        if (atBottom) log.scrollTop = log.scrollHeight;
        last = record.seq;
      });
    };
    const close = () => {
      if (source) source.close();
      source = null;
      say(false, "paused while hidden");
    };
    document.addEventListener("visibilitychange", () => (document.hidden ? close() : source || open()));
    window.addEventListener("pagehide", close);
    window.addEventListener("pageshow", (event) => { if (event.persisted && !source) open(); });
    if (!document.hidden) open();
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes(document);
    document.querySelectorAll("[data-live]:not([data-live=off])").forEach(follow);
    document.querySelectorAll(".log[data-stream]").forEach((log) => {
      log.scrollTop = log.scrollHeight;
      followLog(log);
    });
    // On the document, not on each form: the live part, forms included, is replaced every tick.
    document.addEventListener("submit", (event) => {
      const form = event.target.closest("form[data-confirm]");
      if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
