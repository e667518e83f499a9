// "Insert link" on the ticket page's suggested articles: appends the article's title and address
// to the reply box where the cursor is. Without this script the address is shown to copy.
(() => {
  const show = () => {
    for (const button of document.querySelectorAll("[data-insert-link]")) button.hidden = false;
  };
  show();
  document.addEventListener("htmx:after:swap", show);
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-insert-link]") : null;
    const box = document.getElementById("body");
    if (!button || !(box instanceof HTMLTextAreaElement)) return;
    const text = button.getAttribute("data-insert-link") || "";
    const at = box.selectionStart ?? box.value.length;
    const before = box.value.slice(0, at);
    const spacer = before && !before.endsWith("\n") ? "\n" : "";
    box.value = `${before}${spacer}${text}\n${box.value.slice(at)}`;
    box.focus();
  });
})();
