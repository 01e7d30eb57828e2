/* The booking form says, as it is sent, that JavaScript ran: the FAQ's suggestions were
   live beside it, so the server books at once instead of showing them as a step first.
   (A file of its own: the Content-Security-Policy runs no inline script.) */
document.addEventListener("submit", function (event) {
  var id = event.target.getAttribute("data-scripted-field");
  var field = id && document.getElementById(id);
  if (field) {
    field.value = "1";
  }
});
