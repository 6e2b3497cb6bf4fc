// While the worker does a job, check every few seconds whether it is done, and go to the
// result once it is: the page is not reloaded until there is something new to read.
// Without JavaScript the page refreshes itself instead (a <meta> refresh inside
// <noscript>, see base.html); either way "Stop refreshing this page" turns it off.
const waiting = document.querySelector("[data-eis-poll-url]");
if (waiting) {
  const url = waiting.dataset.eisPollUrl;
  const every = Number(waiting.dataset.eisPollSeconds || 3) * 1000;
  const check = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (!page.querySelector("[data-eis-poll-url]")) {
        window.location.assign(url);
        return;
      }
    } catch {
      // A dropped connection is tried again at the next check.
    }
    window.setTimeout(check, every);
  };
  window.setTimeout(check, every);
}
