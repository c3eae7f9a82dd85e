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
    var pending = root.querySelectorAll("[data-echart]:not([data-drawn]), [data-echart-url]:not([data-drawn])");
    if (!pending.length) return;
    withEcharts(function () {
      pending.forEach(function (el) {
        if (el.dataset.drawn) return;
        if (el.dataset.echartUrl) {  // a large option (a map) comes from its data endpoint
          el.dataset.drawn = "loading";
          fetch(el.dataset.echartUrl, { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (option) { render(el, option); });
          return;
        }
        var source = document.getElementById(el.dataset.echart);
        if (!source) return;
        render(el, JSON.parse(source.textContent));
      });
    });
  }

  function render(el, option) {
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        // Maps drawn from uploaded GeoJSON travel with the option (never fetched from the internet).
        if (option.xzMaps) {
          Object.keys(option.xzMaps).forEach(function (name) { window.echarts.registerMap(name, option.xzMaps[name]); });
          delete option.xzMaps;
        }
        var link = option.xzLink;
        delete option.xzLink;
        delete option.xzStats;
        chart.setOption(option);
        option.xzLink = link;
        // A region or point with a url (a town, a county) opens it when clicked.
        chart.on("click", function (p) {
          if (!p.data) return;
          if (p.data.url) window.location.href = p.data.url;
          else if (p.data.c && option.xzLink) window.location.href = option.xzLink.replace("{code}", p.data.c);
        });
        el.dataset.drawn = "1";
        window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
