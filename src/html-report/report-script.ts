// The report page's only script: filter hosts by name and show only hosts with problems. It
// reads and toggles classes; it never builds markup from data (no innerHTML), so it adds no way
// for a host's text to become markup.

/** JavaScript of the run report, inlined. */
export const REPORT_SCRIPT = `
(function () {
  var search = document.getElementById('host-filter');
  var problems = document.getElementById('problems-only');
  var rows = Array.prototype.slice.call(document.querySelectorAll('[data-host]'));
  var count = document.getElementById('shown-count');
  function apply() {
    var text = search ? search.value.trim().toLowerCase() : '';
    var only = problems ? problems.checked : false;
    var shown = 0;
    rows.forEach(function (row) {
      var host = row.getAttribute('data-host') || '';
      var outcome = row.getAttribute('data-outcome') || '';
      var visible = (text === '' || host.toLowerCase().indexOf(text) >= 0) && (!only || outcome === 'failed' || outcome === 'unreachable');
      row.classList.toggle('hidden', !visible);
      if (visible && row.classList.contains('row')) shown++;
    });
    if (count) count.textContent = String(shown);
  }
  // Debounced: with 500 hosts one pass restyles a thousand rows; do it once typing pauses.
  var timer = 0;
  if (search) search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  if (problems) problems.addEventListener('change', apply);
})();
`;
