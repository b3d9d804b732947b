// The reference site's one script: field search, and expand or collapse all.
'use strict';

function filter(input) {
  const list = document.getElementById(input.dataset.filter);
  const count = document.getElementById(`${input.dataset.filter}-count`);
  const query = input.value.trim().toLowerCase();
  const items = [...list.querySelectorAll('[data-name]')];
  if (list.hasAttribute('data-hide-empty')) list.hidden = query === '';
  let matches = 0;
  for (const item of items) item.hidden = query !== '';
  if (query === '') {
    count.textContent = '';
    return;
  }
  for (const item of items) {
    if (!item.dataset.name.toLowerCase().includes(query)) continue;
    matches += 1;
    // Show the match, and open every object on its way.
    for (let node = item; node && node !== list; node = node.parentElement) {
      if (node.matches('[data-name]')) node.hidden = false;
      if (node.tagName === 'DETAILS' && node !== item.querySelector('details')) node.open = true;
    }
  }
  count.textContent = `${matches} field${matches === 1 ? '' : 's'} match`;
}

function openTarget() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  for (let node = target.parentElement; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS') node.open = true;
  }
  target.scrollIntoView({ block: 'center' });
}

document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[data-filter]')) {
    input.addEventListener('input', () => filter(input));
    const query = new URLSearchParams(location.search).get('q');
    if (query) {
      input.value = query;
      filter(input);
    }
  }
  for (const button of document.querySelectorAll('[data-expand], [data-collapse]')) {
    button.addEventListener('click', () => {
      const open = button.hasAttribute('data-expand');
      const tree = document.getElementById(button.dataset.expand ?? button.dataset.collapse);
      for (const details of tree.querySelectorAll('details')) details.open = open;
    });
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
});
