// Draws the dashboard charts from the numbers the page already shows in its tables.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colors = ["#dc3545", "#0d6efd", "#ffc107", "#198754", "#6c757d", "#6610f2", "#20c997", "#fd7e14"];
  function draw(id, type, series, label) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: type,
      data: {
        labels: series.labels,
        datasets: [{
          label: label,
          data: series.values,
          backgroundColor: type === "line" ? "rgba(13,110,253,.2)" : colors,
          borderColor: type === "line" ? "#0d6efd" : colors,
          fill: type === "line",
        }],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: type === "doughnut" } } },
    });
  }
  draw("chart-status", "doughnut", data.status, "Laporan");
  draw("chart-month", "line", data.month, "Laporan");
  draw("chart-durasi", "bar", data.durasi, "Jam");
  draw("chart-open", "bar", data.open, "Tugas terbuka");
  // Reports and open reports per category, side by side.
  (function () {
    const canvas = document.getElementById("chart-kategori");
    if (!canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.kategori.labels,
        datasets: [
          { label: "Laporan", data: data.kategori.values, backgroundColor: "#0d6efd" },
          { label: "Terbuka", data: data.kategori.open, backgroundColor: "#dc3545" },
        ],
      },
      options: { maintainAspectRatio: false, animation: false },
    });
  })();
})();
