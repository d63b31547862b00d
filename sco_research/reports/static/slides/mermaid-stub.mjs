export default {initialize: function () {}, run: function () {}};
