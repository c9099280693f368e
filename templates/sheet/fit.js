// Sizes the sheet's type and lays its topics out on pages. Runs on load and before printing.
// The goal is data-pages pages (default 1): for each column count in data-columns it
// binary-searches the root font size (steps of 0.05 pt, between data-min-pt and data-max-pt) for
// the largest one at which every topic box lies on those pages, and keeps the best. It never goes
// below data-min-pt and never drops a fact: when the notes do not fit at that floor, the sheet
// continues onto as many pages as it needs at the floor (the column count that needs the fewest),
// and says at what size the pages asked for would do (fitsAtPt). A topic taller than a column
// continues in the next column or on the next page: it is cut between two facts (never inside
// one) and the rest goes in a box of its own headed "<topic> (continued)". A sheet of several
// pages is balanced: each page's topic area is cut to the smallest height that keeps the count.
// The result is left in <html data-fit="{...}"> for the build to read and bake in.
(function () {
  'use strict';
  var root = document.documentElement;
  var sheet = document.querySelector('.sheet');
  var notice = document.querySelector('.fit-notice');
  var first = sheet && sheet.querySelector('.page');
  if (!sheet || !first) return;
  var footer = first.querySelector('.sheet-footer');
  // The topics whole (a continuation baked in by the build is joined back before every layout)
  // and the boxes of the current layout: the topics, each followed by its continuations.
  var topics = Array.prototype.slice.call(sheet.querySelectorAll('.topic:not(.topic-continued)'));
  var pieces = topics.slice();
  var FACTS = ':scope > .section > .fact, :scope > .section > .facts-table > tbody > .fact';
  var STEPS = 20; // per pt
  var minStep = Math.ceil(number('data-min-pt', 6) * STEPS);
  var maxStep = Math.floor(number('data-max-pt', 12) * STEPS);
  var wanted = Math.max(1, Math.floor(number('data-pages', 1)));
  var choices = (root.getAttribute('data-columns') || '5').split(/\s+/).map(Number).filter(function (n) {
    return n > 0;
  });
  var SLACK = 0.5; // px
  var PROBE_FLOOR = 1 * STEPS; // how far below the floor the estimate looks
  var oversize = []; // facts bigger than a whole page (clipped: the one case that loses text)
  var taken = []; // boxes each page took in the last layout: where the next layout starts putting them

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
    return within(topic, box) && topic.scrollWidth <= topic.clientWidth + 1;
  }

  function within(topic, box) {
    var r = topic.getBoundingClientRect();
    return r.left >= box.left - SLACK && r.right <= box.right + SLACK && r.bottom <= box.bottom + SLACK;
  }

  function facts(box) {
    return box.querySelectorAll(FACTS);
  }

  // Where a box that runs over into the next column is cut: the index of its first fact not
  // wholly in its first column; 0 when even the first is not (the box then starts a column: its
  // heading alone at a column's foot is no use); -1 when it cannot be cut (one fact).
  function cutAt(box, area) {
    var rects = box.getClientRects();
    if (rects.length < 2) return -1;
    var edge = rects[0].right - SLACK;
    var list = facts(box);
    for (var k = 0; k < list.length; k++) {
      var own = list[k].getClientRects();
      if (own.length && own[own.length - 1].left > edge) break;
    }
    if (k === list.length) return -1; // only a border or margin ran over
    if (k > 0) return k;
    var atTop = rects[0].top <= area.top + SLACK;
    if (!atTop && !box.classList.contains('column-start') && !box.classList.contains('topic-continued')) return 0;
    return list.length > 1 ? 1 : -1; // one fact taller than a column: it runs on
  }

  // Moves fact `at` and everything after it into a new box after `box`: the topic's heading with
  // "(continued)", the section's heading again when the cut is inside a section, and the table's
  // caption and header row again when it is inside a table. join() undoes it.
  function split(box, at) {
    var rest = box.cloneNode(false);
    rest.removeAttribute('id');
    rest.className = 'topic topic-continued';
    var heading = box.querySelector(':scope > .topic-name').cloneNode(true);
    if (!box.classList.contains('topic-continued')) markContinued(heading);
    rest.appendChild(heading);
    var section = at.closest('.section');
    if (section.querySelector(':scope > .fact, :scope > .facts-table > tbody > .fact') === at) {
      moveFrom(section, rest);
    } else {
      var part = section.cloneNode(false);
      part.classList.add('section-continued');
      var title = section.querySelector(':scope > .section-heading');
      if (title) part.appendChild(title.cloneNode(true));
      var from = at;
      if (at.tagName === 'TR') {
        var table = at.closest('table');
        if (table.tBodies[0].querySelector('.fact') === at) from = table;
        else {
          var more = table.cloneNode(false);
          more.classList.add('table-continued');
          if (table.caption) more.appendChild(table.caption.cloneNode(true));
          if (table.tHead) more.appendChild(table.tHead.cloneNode(true));
          var body = document.createElement('tbody');
          moveFrom(at, body);
          more.appendChild(body);
          part.appendChild(more);
          from = table.nextSibling;
        }
      }
      if (from) moveFrom(from, part);
      rest.appendChild(part);
      if (section.nextSibling) moveFrom(section.nextSibling, rest);
    }
    box.parentNode.insertBefore(rest, box.nextSibling);
    return rest;
  }

  // "<topic> (continued)", with the domains after it as before.
  function markContinued(heading) {
    var name = heading.firstChild;
    if (name && name.nodeType === 3) {
      name.nodeValue = name.nodeValue.replace(/\s*$/, function (space) {
        return ' (continued)' + space;
      });
    } else heading.insertBefore(document.createTextNode(' (continued)'), name);
  }

  // Moves `node` and its later siblings to the end of `to`.
  function moveFrom(node, to) {
    while (node) {
      var next = node.nextSibling;
      to.appendChild(node);
      node = next;
    }
  }

  // Puts a continuation's facts back at the end of the box it continues.
  function join(box, rest) {
    var node;
    while ((node = rest.firstChild)) {
      if (node.nodeType === 1 && node.classList.contains('topic-name')) rest.removeChild(node);
      else if (node.nodeType === 1 && node.classList.contains('section-continued')) {
        joinSection(lastChild(box, 'section'), node);
        rest.removeChild(node);
      } else box.appendChild(node);
    }
    rest.parentNode.removeChild(rest);
  }

  function joinSection(section, part) {
    var title = part.querySelector(':scope > .section-heading');
    if (title) part.removeChild(title);
    var node;
    while ((node = part.firstChild)) {
      if (node.nodeType === 1 && node.classList.contains('table-continued')) {
        moveFrom(node.tBodies[0].firstChild, lastChild(section, 'facts-table').tBodies[0]);
        part.removeChild(node);
      } else section.appendChild(node);
    }
  }

  function lastChild(parent, className) {
    for (var e = parent.lastElementChild; e; e = e.previousElementSibling) if (e.classList.contains(className)) return e;
    return null;
  }

  // Every topic whole again, none starting a column by force.
  function reset() {
    var owner = null;
    var all = Array.prototype.slice.call(sheet.querySelectorAll('.topic'));
    for (var i = 0; i < all.length; i++) {
      all[i].classList.remove('column-start');
      if (owner && all[i].classList.contains('topic-continued')) join(owner, all[i]);
      else owner = all[i];
    }
    pieces = topics.slice();
  }

  // Flows the topics over the pages in order: a page takes boxes until one falls outside its
  // area (into an overflow column); a box that runs over into the next column is cut there
  // first. Returns the page count, or limit + 1 once over. The boxes are taken off the pages
  // first and put on each page only as far as it might hold them (`putOn`): a page laid out
  // with every box still to place made each layout as long as the rest of the sheet, and the
  // whole flow grow with the square of the pages. The columns fill in order (column-fill:
  // auto), so where a box lands never depends on the boxes after it.
  function paginate(limit) {
    reset();
    var holder = document.createDocumentFragment();
    for (var j = 0; j < pieces.length; j++) holder.appendChild(pieces[j]);
    var from = 0;
    var count = 0;
    var area = null;
    var end = 0; // pieces[0 .. end) are on the pages
    oversize = [];
    // Every box not placed yet goes on the last page looked at, as if it had taken them all.
    function over() {
      var last = area || page(0).querySelector('.topics');
      while (end < pieces.length) last.appendChild(pieces[end++]);
      return limit + 1;
    }
    while (from < pieces.length) {
      if (count >= limit) return over();
      area = page(count).querySelector('.topics');
      var box = area.getBoundingClientRect();
      var known = count in taken ? taken[count] : count > 0 ? taken[count - 1] : Infinity;
      end = putOn(area, box, from, known + 2);
      // On the last page allowed, the boxes left must all end inside it; cuts only push them
      // further on, so when one already starts past the area, or the last ends past it, the
      // answer is known without cutting (each cut lays the page out again).
      if (count === limit - 1 && (end < pieces.length || !within(pieces[end - 1], box))) {
        taken[count] = end - from - 1;
        return over();
      }
      var next = from;
      while (next < pieces.length) {
        if (next >= end) end = putOn(area, box, end, 8);
        var piece = pieces[next];
        // A box that starts past the area goes whole to the next page, to be cut there if need be.
        if (piece.getBoundingClientRect().left >= box.right - SLACK) break;
        var at = cutAt(piece, box);
        if (at === 0) piece.classList.add('column-start');
        else if (at > 0) {
          pieces.splice(next + 1, 0, split(piece, facts(piece)[at]));
          end++;
        } else if (inside(piece, box)) next++;
        else break;
      }
      if (next === from) {
        var first = facts(pieces[from])[0];
        oversize.push(first ? first.getAttribute('data-fact') || '' : pieces[from].getAttribute('data-topic') || '');
        next = from + 1;
      }
      taken[count] = next - from;
      from = next;
      count++;
    }
    var list = pages();
    for (var k = Math.max(1, count); k < list.length; k++) sheet.removeChild(list[k]);
    return Math.max(1, count);
  }

  // Puts boxes from pieces[start] on `area`, `batch` at first and twice as many each time after,
  // until the last one put starts past the area (so do all after it) or none is left; returns
  // the index after the last one put. A page starts with two more boxes than it took last time:
  // the layouts of one fit are alike, so one batch is mostly enough (the very first
  // layout puts every box on its first page, and each later page starts from the one before).
  function putOn(area, box, start, batch) {
    var end = start;
    batch = Math.max(8, batch);
    while (end < pieces.length) {
      var stop = Math.min(pieces.length, end + batch);
      for (; end < stop; end++) area.appendChild(pieces[end]);
      if (pieces[end - 1].getBoundingClientRect().left >= box.right - SLACK) break;
      batch *= 2;
    }
    return end;
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
    if (JSON.stringify(splitsNow()) !== JSON.stringify(was.splits || [])) return null;
    numberPages(count);
    return was;
  }

  function breaksNow() {
    var breaks = [];
    var list = pages();
    for (var p = 1; p < list.length; p++) breaks.push(pieces.indexOf(list[p].querySelector('.topic')));
    return breaks;
  }

  // Where the topics are cut, as [topic, fact]: the continuation of topic `topic` (its index in
  // print order) starts at its fact `fact` (0: the topic itself starts a column).
  function splitsNow() {
    var splits = [];
    var topic = -1;
    var fact = 0;
    for (var i = 0; i < pieces.length; i++) {
      if (pieces[i].classList.contains('topic-continued')) splits.push([topic, fact]);
      else {
        topic = topics.indexOf(pieces[i]);
        fact = 0;
        if (pieces[i].classList.contains('column-start')) splits.push([topic, 0]);
      }
      fact += facts(pieces[i]).length;
    }
    return splits;
  }

  function fit() {
    var kept = baked();
    if (kept) return report(kept);
    var best = search(minStep, maxStep, wanted);
    var below = best ? null : search(PROBE_FLOOR, minStep - 1, wanted);
    var chosen = best || fewestPages();
    apply(chosen.step, chosen.columns);
    var count = paginate(Infinity);
    var fill = null;
    if (count > 1) {
      // Balancing left the last layout it tried: lay the pages out again at the height chosen.
      fill = balance(chosen.step, chosen.columns, count);
      apply(chosen.step, chosen.columns, fill);
      count = paginate(Infinity);
    }
    numberPages(count);
    var result = {
      fontSizePt: chosen.step / STEPS,
      columns: chosen.columns,
      pages: count,
      requestedPages: wanted,
      fits: Boolean(best),
      fitsAtPt: best ? best.step / STEPS : below ? below.step / STEPS : null,
      breaks: breaksNow(),
      fillPx: fill,
      oversize: oversize.slice()
    };
    // Only when there are cuts: a sheet without any keeps the same result as before there were.
    var splits = splitsNow();
    if (splits.length) result.splits = splits;
    return report(result);
  }

  function report(result) {
    var count = result.pages;
    root.setAttribute('data-fit', JSON.stringify(result));
    if (notice) {
      notice.hidden = result.fits;
      notice.textContent = result.fits
        ? ''
        : count > wanted
          ? 'These notes take ' + count + ' pages at ' + result.fontSizePt + ' pt, the smallest type allowed; ' +
            wanted + (wanted === 1 ? ' page' : ' pages') +
            (result.fitsAtPt ? ' would need ' + result.fitsAtPt + ' pt type.' : ' would need type under 1 pt.') +
            ' Build with --pages ' + count + ', or put fewer topics on the sheet (--topics, --tags).'
          : 'A fact is bigger than a whole page at ' + result.fontSizePt + ' pt: its end is cut off. Split it into shorter facts.';
    }
    return result;
  }

  fit();
  window.addEventListener('beforeprint', fit);
})();
