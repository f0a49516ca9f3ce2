// vipgate admin: lists the certificate requests and calls /admin/api with fetch.
// Every text from the server goes in with textContent, never innerHTML: common names come from the network.
'use strict';

const SECTIONS = { PENDING: 'pending', APPROVED: 'approved', DENIED: 'denied' };
const ACTIONS = {
  PENDING: ['approve', 'deny', 'delete'],
  APPROVED: ['deny', 'delete'],
  DENIED: ['approve', 'delete'],
};
const LABELS = { approve: 'Approve', deny: 'Deny', delete: 'Delete' };

function showMessage(text, isError) {
  const line = document.getElementById('message');
  line.textContent = text;
  line.className = isError ? 'error' : 'ok';
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function render(csrs) {
  for (const id of Object.values(SECTIONS)) {
    document.querySelector('#' + id + ' tbody').replaceChildren();
  }
  for (const csr of csrs) {
    const section = SECTIONS[csr.status];
    if (!section) {
      continue;
    }
    const row = document.createElement('tr');
    row.dataset.cn = csr.common_name;
    cell(row, csr.common_name).className = 'cn';
    cell(row, csr.remote_address).className = 'remote';
    cell(row, csr.requested_at).className = 'requested';
    cell(row, csr.status).className = 'status';
    const actions = cell(row, '');
    for (const action of ACTIONS[csr.status]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = action;
      button.textContent = LABELS[action];
      button.addEventListener('click', () => act(action, csr.common_name));
      actions.appendChild(button);
    }
    document.querySelector('#' + section + ' tbody').appendChild(row);
  }
  for (const id of Object.values(SECTIONS)) {
    const body = document.querySelector('#' + id + ' tbody');
    if (!body.children.length) {
      const row = document.createElement('tr');
      row.className = 'empty';
      const td = cell(row, 'None');
      td.colSpan = 5;
      body.appendChild(row);
    }
  }
}

async function load() {
  const response = await fetch('/admin/api/csrs', { credentials: 'same-origin' });
  if (response.status === 401) {
    window.location.assign('/admin/login.html');
    return;
  }
  if (!response.ok) {
    showMessage('Could not list the requests: HTTP ' + response.status, true);
    return;
  }
  render(await response.json());
}

async function act(action, cn) {
  let response;
  try {
    response = await fetch('/admin/api/' + action + '_csr/' + encodeURIComponent(cn), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'vipgate' },
    });
  } catch (e) {
    showMessage(action + ' ' + cn + ' failed: ' + e, true);
    return;
  }
  if (response.status === 401) {
    window.location.assign('/admin/login.html');
    return;
  }
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    body = {};
  }
  if (response.ok) {
    showMessage(body.status + ' for ' + cn, false);
  } else {
    showMessage(action + ' ' + cn + ' failed: ' + (body.message || body.error || ('HTTP ' + response.status)), true);
  }
  await load();
}

document.addEventListener('DOMContentLoaded', () => {
  load().catch((e) => showMessage('Could not list the requests: ' + e, true));
});
