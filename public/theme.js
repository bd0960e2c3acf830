// Applies the reader's saved colour theme before the first paint (no flash of the wrong theme).
(function () {
  try {
    var theme = localStorage.getItem("dl101.theme");
    if (theme === "dark" || theme === "light") document.documentElement.setAttribute("data-theme", theme);
  } catch (e) { /* storage may be disabled: follow the system theme */ }
})();
