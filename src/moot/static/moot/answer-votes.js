// "Does this answer the above question?" without a page reload.
//
// Progressive enhancement: each vote form works as a plain POST without this
// script. With it, pressing Yes or No sends the same form (with its CSRF
// token) in the background, asking for JSON, and updates the counts, the
// pressed state and a status message in place. If the request fails for any
// reason other than a refusal with a message, the form is submitted normally.

const people = (count, side) =>
  `${count} ${count === 1 ? "person thinks" : "people think"} ${side === "yes" ? "so" : "not"}`;

function show(form, tally) {
  for (const side of ["yes", "no"]) {
    const count = form.querySelector(`[data-vote-count="${side}"]`);
    if (count) count.textContent = people(tally[side], side);
    const button = form.querySelector(`button[value="${side}"]`);
    if (button) button.setAttribute("aria-pressed", String(tally.mine === side));
  }
  const status = form.querySelector("[data-vote-status]");
  if (status && tally.mine) {
    status.textContent = `Thank you: you said ${tally.mine}. You can change your mind.`;
  }
}

function refuse(form, message) {
  const status = form.querySelector("[data-vote-status]");
  if (status) status.textContent = message;
}

async function send(form, side) {
  const data = new FormData(form);
  data.set("vote", side);
  const response = await fetch(form.action, {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  const body = await response.json().catch(() => null);
  if (response.ok && body) {
    show(form, body);
    return true;
  }
  if (body && body.error) {
    refuse(form, body.error);
    return true;
  }
  return false;
}

function enhance(form) {
  let busy = false;
  form.addEventListener("submit", async (event) => {
    const side = event.submitter && event.submitter.value;
    if (!side || busy) return;
    event.preventDefault();
    busy = true;
    try {
      if (!(await send(form, side))) fallBack(form, side);
    } catch {
      fallBack(form, side);
    } finally {
      busy = false;
    }
  });
}

function fallBack(form, side) {
  const choice = document.createElement("input");
  choice.type = "hidden";
  choice.name = "vote";
  choice.value = side;
  form.append(choice);
  form.submit();
}

for (const form of document.querySelectorAll('form[data-module="moot-answer-vote"]')) {
  enhance(form);
}
