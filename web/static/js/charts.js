// Draws every element with data-echart="<id of a json_script holding an ECharts option>".
// ECharts (web/static/vendor/echarts, 1 MB) is fetched only by pages that have a chart.
// A chart is decoration over a table that says the same thing (for screen readers and print).
(function () {
  var me = document.currentScript;
  var loading = null;

  function withEcharts(callback) {
    if (window.echarts) return callback();
    if (!loading) {
      loading = document.createElement("script");
      loading.src = me.dataset.echartsSrc;
      document.head.appendChild(loading);
    }
    loading.addEventListener("load", callback);
  }

  function draw(root) {
    var pending = root.querySelectorAll("[data-echart]:not([data-drawn])");
    if (!pending.length) return;
    withEcharts(function () {
      pending.forEach(function (el) {
        var source = document.getElementById(el.dataset.echart);
        if (!source || el.dataset.drawn) return;
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        var option = JSON.parse(source.textContent);
        // Maps drawn from uploaded GeoJSON travel with the option (never fetched from the internet).
        if (option.xzMaps) {
          Object.keys(option.xzMaps).forEach(function (name) { window.echarts.registerMap(name, option.xzMaps[name]); });
          delete option.xzMaps;
        }
        chart.setOption(option);
        // A region or point with a url (a town, a county) opens it when clicked.
        chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
        el.dataset.drawn = "1";
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
