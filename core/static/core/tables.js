// Every table of every page, one mechanism (loaded by core/base.html): a table sits in a
// ".table-scroll" box that scrolls sideways when the table is wider than the screen; the
// stylesheet keeps its first column in view and shades the edge that has more. This script
// adds what CSS cannot know: the box for a table a template left without one, and, while the
// table is wider than its box, a visible line above it that says so. Without JavaScript the
// templates' own boxes, the shading and the first column still do their part.
(function () {
  "use strict";
  const main = document.getElementById("main");
  if (!main || !window.ResizeObserver) return;
  const cueText = main.dataset.scrollCue || "";

  function boxOf(table) {
    const parent = table.parentElement;
    if (parent.classList.contains("table-scroll")) return parent;
    const box = document.createElement("div");
    box.className = "table-scroll";
    box.tabIndex = 0; // a box that scrolls must be reachable by keyboard
    table.before(box);
    box.append(table);
    return box;
  }

  function cueBefore(box) {
    const previous = box.previousElementSibling;
    if (previous && previous.classList.contains("scroll-cue")) return previous;
    const cue = document.createElement("p");
    cue.className = "scroll-cue";
    cue.setAttribute("aria-hidden", "true"); // the table itself is read whole by a screen reader
    cue.textContent = cueText + " →";
    box.before(cue);
    return cue;
  }

  function update(box) {
    const wider = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("overflowing", wider);
    if (wider) cueBefore(box).hidden = false;
    else if (box.previousElementSibling && box.previousElementSibling.classList.contains("scroll-cue")) {
      box.previousElementSibling.hidden = true;
    }
  }

  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target.closest(".table-scroll"));
  });
  for (const table of main.querySelectorAll("table")) {
    const box = boxOf(table);
    update(box);
    observer.observe(box);
    observer.observe(table);
  }
})();
