// The customer's signature on the technician's phone: a drawing pad on a canvas whose PNG goes
// into the form's hidden "signature" field. Without JavaScript the typed name alone is sent.
(() => {
  for (const form of document.querySelectorAll("form.signature-form")) {
    const canvas = form.querySelector("canvas.signature-pad");
    const field = form.querySelector('input[name="signature"]');
    if (!canvas || !field) continue;
    canvas.hidden = false;
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 2;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#111";
    let drawing = false;
    let drawn = false;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    };
    canvas.style.touchAction = "none";
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      ctx.beginPath();
      ctx.moveTo(...point(event));
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      ctx.lineTo(...point(event));
      ctx.stroke();
      drawn = true;
    });
    const stop = () => {
      drawing = false;
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "secondary";
    clear.textContent = "Clear drawing";
    clear.addEventListener("click", () => {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
    });
    canvas.after(clear);
    form.addEventListener("submit", () => {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }
})();
