// The attendance sheet on a tablet: each person signs with a finger in their box; the strokes
// go to a hidden field as an SVG path. Without JavaScript staff tick "Présent·e" instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-signature]").forEach((box) => {
    const canvas = box.querySelector("canvas");
    const field = box.querySelector("input[type=hidden]");
    const present = document.getElementById(box.dataset.signature);
    box.hidden = false;
    const context = canvas.getContext("2d");
    let path = field.value;
    let drawing = false;
    const point = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [Math.round(event.clientX - rect.left), Math.round(event.clientY - rect.top)];
    };
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      const [x, y] = point(event);
      path += `M${x} ${y}`;
      context.beginPath();
      context.moveTo(x, y);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      path += `L${x} ${y}`;
      context.lineTo(x, y);
      context.stroke();
    });
    const stop = () => {
      if (!drawing) return;
      drawing = false;
      field.value = path;
      if (present) present.checked = true;
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointerleave", stop);
  });
});
