// Learning paths: which steps a student has marked done, kept in this browser
// (localStorage, no account). Without JavaScript the page is whole; this adds a
// "Mark as done" button to each step, a progress line, a link to continue where
// the student left off, and a way to start again.
(function () {
  "use strict";
  var path = document.querySelector("[data-path]");
  var panel = document.querySelector("[data-path-progress]");
  if (!path || !panel) return;
  var steps = Array.prototype.slice.call(path.querySelectorAll(".path-step[data-step]"));
  if (!steps.length) return;
  var key = "cyberdiplo:path:" + path.getAttribute("data-path");

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(saved) ? saved.map(String) : [];
    } catch (error) {
      return [];
    }
  }
  function save(done) {
    try {
      if (done.length) window.localStorage.setItem(key, JSON.stringify(done));
      else window.localStorage.removeItem(key);
      return true;
    } catch (error) {
      return false; // storage refused (private mode, quota): the page still reads
    }
  }
  if (!save(load())) return;

  var done = load().filter(function (id) {
    return steps.some(function (step) { return step.getAttribute("data-step") === id; });
  });

  var line = document.createElement("p");
  line.className = "path-progress-line";
  line.setAttribute("role", "status");
  var cont = document.createElement("a");
  cont.className = "path-continue";
  var reset = document.createElement("button");
  reset.type = "button";
  reset.className = "path-reset";
  reset.textContent = "Start again (clear my progress)";
  var note = document.createElement("p");
  note.className = "path-progress-note";
  note.textContent = "Your progress is kept in this browser only.";
  panel.append(line, cont, reset, note);

  var buttons = steps.map(function (step, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "path-done";
    button.setAttribute("aria-describedby", step.id + "-title");
    button.addEventListener("click", function () {
      var id = step.getAttribute("data-step");
      var at = done.indexOf(id);
      if (at === -1) done.push(id);
      else done.splice(at, 1);
      save(done);
      render();
    });
    var nav = step.querySelector(".path-step-nav");
    step.insertBefore(button, nav);
    return button;
  });

  function render() {
    var next = null;
    steps.forEach(function (step, index) {
      var isDone = done.indexOf(step.getAttribute("data-step")) !== -1;
      step.classList.toggle("is-done", isDone);
      buttons[index].textContent = isDone ? "Done ✓ (mark as not done)" : "Mark as done";
      if (!isDone && next === null) next = index;
    });
    var count = done.length;
    line.textContent = count === steps.length
      ? "All " + steps.length + " steps done: you have finished this path."
      : count + " of " + steps.length + " step" + (steps.length === 1 ? "" : "s") + " done";
    cont.hidden = count === 0 || next === null;
    if (next !== null) {
      cont.href = "#" + steps[next].id;
      cont.textContent = "Continue where you left off: step " + (next + 1);
    }
    reset.hidden = count === 0;
    panel.hidden = false;
  }

  reset.addEventListener("click", function () {
    done = [];
    save(done);
    render();
    line.focus();
  });
  line.tabIndex = -1;
  render();
})();
