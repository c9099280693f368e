// Sizes the sheet's type to fill its one page without overflowing. Runs on load and before
// printing: for each column count in data-columns it binary-searches the root font size (in
// steps of 0.05 pt, between data-min-pt and data-max-pt) for the largest one at which every
// topic box lies inside the page, and keeps the best. It never goes below data-min-pt: when
// even that does not fit, it marks the topics that fall off the page and says so on screen.
// The result is left in <html data-fit="{...}"> for the build to read; when the notes do not
// fit, it also says at what size they would (fitsAtPt), so the build can say how much to cut.
(function () {
  'use strict';
  var root = document.documentElement;
  var page = document.querySelector('.page');
  var area = document.querySelector('.topics');
  var notice = document.querySelector('.fit-notice');
  if (!page || !area) return;
  var topics = Array.prototype.slice.call(area.querySelectorAll('.topic'));
  var STEPS = 20; // per pt
  var minStep = Math.ceil(Number(root.getAttribute('data-min-pt') || 6) * STEPS);
  var maxStep = Math.floor(Number(root.getAttribute('data-max-pt') || 12) * STEPS);
  var choices = (root.getAttribute('data-columns') || '5').split(/\s+/).map(Number).filter(function (n) {
    return n > 0;
  });
  var SLACK = 0.5; // px
  var PROBE_FLOOR = 1 * STEPS; // how far below the floor the estimate looks

  function apply(step, columns) {
    root.style.setProperty('--font-size', step / STEPS + 'pt');
    root.style.setProperty('--columns', String(columns));
  }

  // The topics that do not lie wholly inside the page's topic area, or break across columns.
  function overflowing(columns) {
    var box = area.getBoundingClientRect();
    var pageBox = page.getBoundingClientRect();
    var bottom = Math.min(box.bottom, pageBox.bottom);
    var columnWidth = box.width / columns;
    var out = [];
    for (var i = 0; i < topics.length; i++) {
      var t = topics[i];
      var r = t.getBoundingClientRect();
      if (
        r.right > box.right + SLACK ||
        r.bottom > bottom + SLACK ||
        r.width > columnWidth + SLACK ||
        t.scrollWidth > t.clientWidth + 1
      ) {
        out.push(t);
      }
    }
    return out;
  }

  function fits(step, columns) {
    apply(step, columns);
    if (page.scrollHeight > page.clientHeight + 1 || page.scrollWidth > page.clientWidth + 1) return false;
    return overflowing(columns).length === 0;
  }

  // The largest step in [from, to] at which it fits with these columns, or null.
  function largest(from, to, columns) {
    if (!fits(from, columns)) return null;
    if (fits(to, columns)) return to;
    var lo = from; // fits
    var hi = to; // does not
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (fits(mid, columns)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  function search(from, to) {
    var best = null;
    for (var c = 0; c < choices.length; c++) {
      var step = largest(from, to, choices[c]);
      if (step !== null && (!best || step > best.step)) best = { step: step, columns: choices[c] };
    }
    return best;
  }

  function fit() {
    var best = search(minStep, maxStep);
    var result;
    var marked = Array.prototype.slice.call(area.querySelectorAll('.is-overflowing'));
    for (var m = 0; m < marked.length; m++) marked[m].classList.remove('is-overflowing');
    if (best) {
      apply(best.step, best.columns);
      result = { fontSizePt: best.step / STEPS, columns: best.columns, fits: true, overflowing: [], fitsAtPt: best.step / STEPS };
    } else {
      var below = search(PROBE_FLOOR, minStep - 1);
      // Nothing fits at the floor: stay there, with the column count that loses the least.
      var least = null;
      for (var k = 0; k < choices.length; k++) {
        apply(minStep, choices[k]);
        var over = overflowing(choices[k]);
        if (!least || over.length < least.over.length) least = { columns: choices[k], over: over };
      }
      apply(minStep, least.columns);
      var names = [];
      for (var j = 0; j < least.over.length; j++) {
        least.over[j].classList.add('is-overflowing');
        names.push(least.over[j].getAttribute('data-topic') || '');
      }
      result = {
        fontSizePt: minStep / STEPS,
        columns: least.columns,
        fits: false,
        overflowing: names,
        fitsAtPt: below ? below.step / STEPS : null
      };
    }
    root.setAttribute('data-fit', JSON.stringify(result));
    if (notice) {
      if (result.fits) {
        notice.hidden = true;
        notice.textContent = '';
      } else {
        notice.hidden = false;
        notice.textContent =
          'This does not fit on one page even at ' + result.fontSizePt + ' pt, the smallest type allowed. ' +
          (result.overflowing.length
            ? 'Falling off the page (outlined): ' + result.overflowing.join(', ') + '.'
            : 'The header or footer is too tall.') +
          (result.fitsAtPt ? ' It would take ' + result.fitsAtPt + ' pt type to fit.' : '') +
          ' Shorten the notes or split the deck.';
      }
    }
    return result;
  }

  fit();
  window.addEventListener('beforeprint', fit);
})();
