// Sizes the sheet's type and lays its topics out on pages. Runs on load and before printing.
// The goal is data-pages pages (default 1): for each column count in data-columns it
// binary-searches the root font size (steps of 0.05 pt, between data-min-pt and data-max-pt) for
// the largest one at which every topic box lies on those pages, and keeps the best. It never goes
// below data-min-pt and never drops a topic: when the notes do not fit at that floor, the sheet
// continues onto as many pages as it needs at the floor (the column count that needs the fewest),
// and says at what size the pages asked for would do (fitsAtPt). A sheet of several pages is
// balanced: each page's topic area is cut to the smallest height that keeps the page count.
// The result is left in <html data-fit="{...}"> for the build to read and bake in.
(function () {
  'use strict';
  var root = document.documentElement;
  var sheet = document.querySelector('.sheet');
  var notice = document.querySelector('.fit-notice');
  var first = sheet && sheet.querySelector('.page');
  if (!sheet || !first) return;
  var footer = first.querySelector('.sheet-footer');
  var topics = Array.prototype.slice.call(sheet.querySelectorAll('.topic'));
  var STEPS = 20; // per pt
  var minStep = Math.ceil(number('data-min-pt', 6) * STEPS);
  var maxStep = Math.floor(number('data-max-pt', 12) * STEPS);
  var wanted = Math.max(1, Math.floor(number('data-pages', 1)));
  var choices = (root.getAttribute('data-columns') || '5').split(/\s+/).map(Number).filter(function (n) {
    return n > 0;
  });
  var SLACK = 0.5; // px
  var PROBE_FLOOR = 1 * STEPS; // how far below the floor the estimate looks
  var oversize = []; // topics bigger than a whole page (clipped: the one case that loses text)

  function number(name, fallback) {
    var value = Number(root.getAttribute(name));
    return value > 0 ? value : fallback;
  }

  function pages() {
    return Array.prototype.filter.call(sheet.children, function (e) {
      return e.classList.contains('page');
    });
  }

  // Page i (0-based), made when missing: a topic area and a copy of the first page's footer.
  function page(i) {
    var list = pages();
    while (list.length <= i) {
      var p = document.createElement('section');
      p.className = 'page';
      var area = document.createElement('div');
      area.className = 'topics';
      p.appendChild(area);
      if (footer) p.appendChild(footer.cloneNode(true));
      sheet.appendChild(p);
      list.push(p);
    }
    return list[i];
  }

  function apply(step, columns, fill) {
    root.style.setProperty('--font-size', step / STEPS + 'pt');
    root.style.setProperty('--columns', String(columns));
    if (fill) root.style.setProperty('--fill', fill + 'px');
    else root.style.removeProperty('--fill');
  }

  // Wholly inside the page's topic area, and nothing inside it (a table, a long word) wider than it.
  function inside(topic, box) {
    var r = topic.getBoundingClientRect();
    return (
      r.left >= box.left - SLACK &&
      r.right <= box.right + SLACK &&
      r.bottom <= box.bottom + SLACK &&
      topic.scrollWidth <= topic.clientWidth + 1
    );
  }

  // Flows the topics over the pages in order: a page takes topics until one falls outside its
  // area (into an overflow column or below it). Returns the page count, or limit + 1 once over.
  function paginate(limit) {
    var from = 0;
    var count = 0;
    oversize = [];
    while (from < topics.length) {
      if (count >= limit) return limit + 1;
      var area = page(count).querySelector('.topics');
      for (var i = from; i < topics.length; i++) area.appendChild(topics[i]);
      var box = area.getBoundingClientRect();
      var next = from;
      while (next < topics.length && inside(topics[next], box)) next++;
      if (next === from) {
        oversize.push(topics[from].getAttribute('data-topic') || '');
        next = from + 1;
      }
      from = next;
      count++;
    }
    var list = pages();
    for (var k = Math.max(1, count); k < list.length; k++) sheet.removeChild(list[k]);
    return Math.max(1, count);
  }

  function fitsIn(limit, step, columns, fill) {
    apply(step, columns, fill);
    return paginate(limit) <= limit && oversize.length === 0;
  }

  // The largest step in [from, to] at which the topics fit on `limit` pages, or null.
  function largest(from, to, columns, limit) {
    if (from > to || !fitsIn(limit, from, columns)) return null;
    if (fitsIn(limit, to, columns)) return to;
    var lo = from; // fits
    var hi = to; // does not
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (fitsIn(limit, mid, columns)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  // The best column count: the one that allows the largest type (the fewest columns on a tie).
  function search(from, to, limit) {
    var best = null;
    for (var c = 0; c < choices.length; c++) {
      // Only a larger step than the best so far can win: start the search there.
      var step = largest(best ? best.step + 1 : from, to, choices[c], limit);
      if (step !== null) best = { step: step, columns: choices[c] };
    }
    return best;
  }

  // At the floor: the column count that needs the fewest pages.
  function fewestPages() {
    var best = null;
    for (var c = 0; c < choices.length; c++) {
      apply(minStep, choices[c]);
      var count = paginate(Infinity) + (oversize.length ? 1000 : 0);
      if (!best || count < best.count) best = { step: minStep, columns: choices[c], count: count };
    }
    return best;
  }

  // The smallest topic-area height (px) that keeps `count` pages: pages filled alike.
  function balance(step, columns, count) {
    apply(step, columns);
    paginate(Infinity);
    var hi = 0;
    var list = pages();
    for (var i = 0; i < list.length; i++) {
      hi = Math.max(hi, Math.ceil(list[i].querySelector('.topics').getBoundingClientRect().height));
    }
    var lo = 0;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (fitsIn(count, step, columns, mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  function numberPages(count) {
    var list = pages();
    for (var i = 0; i < list.length; i++) {
      var label = list[i].querySelector('.page-number');
      if (label) label.textContent = i + 1 + ' / ' + count;
    }
  }

  // A fit baked in by the build (data-fit) is kept when its layout still holds here: the same
  // pages, every topic inside its page. Otherwise (other fonts, other media) the page fits anew.
  function baked() {
    var was;
    try {
      was = JSON.parse(root.getAttribute('data-fit') || 'null');
    } catch (e) {
      return null;
    }
    if (!was || was.requestedPages !== wanted || !(was.fontSizePt * STEPS >= minStep)) return null;
    apply(Math.round(was.fontSizePt * STEPS), was.columns, was.fillPx);
    var count = paginate(Infinity);
    if (count !== was.pages || oversize.length || (was.fits && count > wanted)) return null;
    if (breaksNow().join() !== (was.breaks || []).join()) return null;
    numberPages(count);
    return was;
  }

  function breaksNow() {
    var breaks = [];
    var list = pages();
    for (var p = 1; p < list.length; p++) breaks.push(topics.indexOf(list[p].querySelector('.topic')));
    return breaks;
  }

  function fit() {
    var kept = baked();
    if (kept) return report(kept);
    var best = search(minStep, maxStep, wanted);
    var below = best ? null : search(PROBE_FLOOR, minStep - 1, wanted);
    var chosen = best || fewestPages();
    apply(chosen.step, chosen.columns);
    var count = paginate(Infinity);
    var fill = count > 1 ? balance(chosen.step, chosen.columns, count) : null;
    apply(chosen.step, chosen.columns, fill);
    count = paginate(Infinity);
    numberPages(count);
    return report({
      fontSizePt: chosen.step / STEPS,
      columns: chosen.columns,
      pages: count,
      requestedPages: wanted,
      fits: Boolean(best),
      fitsAtPt: best ? best.step / STEPS : below ? below.step / STEPS : null,
      breaks: breaksNow(),
      fillPx: fill,
      oversize: oversize.slice()
    });
  }

  function report(result) {
    var count = result.pages;
    root.setAttribute('data-fit', JSON.stringify(result));
    if (notice) {
      notice.hidden = result.fits;
      notice.textContent = result.fits
        ? ''
        : 'These notes take ' + count + ' pages at ' + result.fontSizePt + ' pt, the smallest type allowed; ' +
          wanted + (wanted === 1 ? ' page' : ' pages') +
          (result.fitsAtPt ? ' would need ' + result.fitsAtPt + ' pt type.' : ' would need type under 1 pt.') +
          ' Build with --pages ' + count + ', or put fewer topics on the sheet (--topics, --tags).';
    }
    return result;
  }

  fit();
  window.addEventListener('beforeprint', fit);
})();
