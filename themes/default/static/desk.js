// The desk's list: one box ticks every row, and the action menu shows only
// the field its action needs (a time to schedule, a category to file under).
// Without this script every box and field is there and the form works the same.
(function () {
  'use strict';
  var form = document.getElementById('desk-batch');
  if (!form) return;
  var all = form.querySelector('.desk-batch__all');
  var boxes = function () { return form.querySelectorAll('input[name="secili"]'); };
  if (all) {
    all.hidden = false;
    all.addEventListener('change', function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    form.addEventListener('change', function (event) {
      if (event.target.name !== 'secili') return;
      var list = Array.prototype.slice.call(boxes());
      var ticked = list.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    });
  }
  var action = form.querySelector('#batch-action');
  var when = form.querySelector('.desk-batch__when');
  var category = form.querySelector('.desk-batch__category');
  var show = function () {
    if (when) when.hidden = action.value !== 'schedule';
    if (category) category.hidden = action.value !== 'category';
  };
  if (action) {
    action.addEventListener('change', show);
    show();
  }
})();
