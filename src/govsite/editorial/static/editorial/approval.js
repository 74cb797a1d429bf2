// 稿件审批单: the 打印 button (the admin's CSP allows no inline handlers on our side).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-govsite-print]")) {
    window.print();
  }
});
