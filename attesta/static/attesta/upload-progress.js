// Shows the progress of a file upload sent by htmx in the <progress> named by the form's
// data-progress attribute, and says it in words for screen readers (its aria-live sibling).
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest("form[data-progress]");
  if (!form || !event.detail.lengthComputable) { return; }
  var bar = document.getElementById(form.dataset.progress);
  if (!bar) { return; }
  var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
  bar.hidden = false;
  bar.value = percent;
  var words = document.getElementById(form.dataset.progress + "-texte");
  if (words) {
    words.textContent = percent < 100 ? "Envoi du fichier : " + percent + " %" : "Lecture du fichier…";
  }
});
