// A row number in the cue editor plays the video from that line's start.
document.querySelectorAll("[data-jump]").forEach(function (button) {
  button.addEventListener("click", function () {
    var video = document.querySelector("[data-editor-video]");
    var value = button.closest("tr").querySelector("input[name=start]").value.split(":").reduce(function (a, p) {
      return a * 60 + parseFloat(p || 0);
    }, 0);
    video.currentTime = value || 0;
    video.play().catch(function () {});
  });
});
