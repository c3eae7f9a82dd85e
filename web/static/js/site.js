// The menu button for narrow screens: without JavaScript the navigation simply wraps.
(function () {
  document.documentElement.classList.remove("no-js");
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (button && nav) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        nav.classList.toggle("open", open);
      });
    }
    // Wide tables scroll inside their own box instead of widening the page.
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      if (box.scrollWidth > box.clientWidth) {  // keyboard users can scroll it too (WCAG 2.1.1)
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (table.caption && table.caption.textContent.trim()) || document.title);
      }
    });
  });
})();
