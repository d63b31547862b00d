// Offline stand-in for MathJax 2 (the project's slides contain no mathematics).
window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return []; }, Rerender: function () {},
  Queue: function () {}, Config: function () {}, Configured: function () {}}};
