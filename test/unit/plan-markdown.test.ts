// The Markdown escaping the plan comment relies on: code spans that no backtick run can close,
// pipes escaped for GFM tables, and <summary> text as entities only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, code, htmlText } from '../../server/src/provision/render/markdown';

describe('plan markdown escaping', () => {
  test('a code span is fenced longer than any backtick run inside, and stays on one line', () => {
    assert.equal(code('plain'), '`plain`');
    assert.equal(code('a ``b`` c'), '```a ``b`` c```');
    assert.equal(code('`edge`'), '`` `edge` ``');
    assert.equal(code('two\nlines'), '`two lines`');
  });

  test('table cells escape pipes; HTML and mentions stay inside the code span', () => {
    const c = cell('<img src=x> | @octocat');
    assert.equal(c, '`<img src=x> \\| @octocat`');
    assert.equal(c.match(/(?<!\\)\|/g), null, 'no pipe that would split the cell');
  });

  test('summary text carries no character HTML or Markdown would interpret', () => {
    const t = htmlText('Agent "<b>x</b>" [y](z) @u `c` *e* _f_ | #1');
    assert.doesNotMatch(t.replace(/&#\d+;/g, ''), /[<>"`*_[\]()@|#]/);
    assert.match(t, /&#60;b&#62;/);
  });
});
