// Small behaviours shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// On a phone a table is shown as a list of cards (app.css); each cell then carries its
// column's heading, copied here from the table's header row.
function labelCells(root) {
  for (const table of root.querySelectorAll("table:not(.keep)")) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!heads.length) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (heads[i] && !cell.hasAttribute("colspan")) cell.dataset.label = heads[i];
      });
    }
  }
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));
document.addEventListener("htmx:afterSwap", (event) => labelCells(event.target));
