// Fieldesk contact widget. On any website:
//   <script src="https://support.example.com/public/widget.js" data-org="your-org" async></script>
// adds a "Contact us" button that opens the organization's web form in a frame. The form itself
// works without this script at https://support.example.com/forms/your-org.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const org = script.getAttribute("data-org");
  if (!org) return;
  const origin = new URL(script.src).origin;
  const label = script.getAttribute("data-label") || "Contact us";

  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  Object.assign(button.style, {
    position: "fixed",
    right: "1rem",
    bottom: "1rem",
    zIndex: "2147483000",
    padding: "0.7rem 1.1rem",
    border: "0",
    borderRadius: "999px",
    background: "#1f5fbf",
    color: "#fff",
    font: "600 15px system-ui, sans-serif",
    cursor: "pointer",
    boxShadow: "0 2px 10px rgba(0,0,0,.2)",
  });

  let frame = null;
  button.addEventListener("click", () => {
    if (frame) {
      frame.remove();
      frame = null;
      button.setAttribute("aria-expanded", "false");
      button.textContent = label;
      return;
    }
    frame = document.createElement("iframe");
    frame.title = label;
    frame.src = `${origin}/forms/${encodeURIComponent(org)}?embed=1`;
    Object.assign(frame.style, {
      position: "fixed",
      right: "1rem",
      bottom: "4.5rem",
      zIndex: "2147483000",
      width: "min(26rem, calc(100vw - 2rem))",
      height: "min(38rem, calc(100vh - 6rem))",
      border: "1px solid #ccd",
      borderRadius: "12px",
      background: "#fff",
      boxShadow: "0 4px 24px rgba(0,0,0,.25)",
    });
    document.body.appendChild(frame);
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Close";
  });
  document.body.appendChild(button);
})();
