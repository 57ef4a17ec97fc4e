// What every Snom node's editor shares (window.SnomEditor): palette category and colour, the
// registration of a node with the runtime's validators (window.SnomRules, built from the library
// into resources/snom-rules.js), the standard form rows, and label helpers. Each nodes/<type>.html
// loads this file and snom-rules.js; the browser may run them in either order, so nothing here
// touches SnomRules before a node registers.
(function (global) {
  'use strict';
  if (global.SnomEditor) return;

  var MODULE = '@snom-flows/node-red-contrib-snom';
  var CATEGORY = 'Snom';
  var COLOR = '#8FBCBB';
  var ICON = 'snom.svg';

  // nodes whose edit dialog is open: their validators read the form, not the saved values
  var open = [];

  function rules() {
    return global.SnomRules;
  }

  function prefixOf(def) {
    return def.category === 'config' ? 'node-config-input' : 'node-input';
  }

  function shorten(text, max) {
    text = String(text).trim();
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  /** The node's fields: from its open dialog while it is being edited, else as saved. */
  function formOf(node, defaults, prefix) {
    var editing = open.indexOf(node) !== -1;
    var values = {};
    Object.keys(defaults).forEach(function (k) {
      var v = node[k];
      var input = editing ? $('#' + prefix + '-' + k) : null;
      if (input && input.length) v = input.attr('type') === 'checkbox' ? input.prop('checked') : input.val();
      values[k] = v;
    });
    return values;
  }

  /** Model, firmware and CSTA form of the snom-phone a node uses (the runtime's profile comes from them). */
  function phoneOf(type, values) {
    if (type === 'snom-phone') return values;
    var config = values.phone ? RED.nodes.node(values.phone) : null;
    return config ? { model: config.model, firmware: config.firmware, legacyCsta: config.legacyCsta } : undefined;
  }

  /** A Node-RED 3.x validator (value, opt): true, or the runtime's reason as a string. */
  function validator(type, field, defaults, prefix) {
    // two parameters: Node-RED then shows a returned string as the reason
    return function (value, _opt) {
      var r = rules();
      if (!r) return true; // the runtime checks it anyway; a failed script load must not block editing
      var values = formOf(this, defaults, prefix);
      var verdict = r.checkField(type, field, value, values, phoneOf(type, values));
      if (verdict === true || typeof verdict === 'string') return verdict;
      // no runtime message (it would fall back to a default): the node's own words, if it has any
      var key = type + '.validation.' + field;
      var text = RED._(MODULE + '/' + type + ':' + key);
      return text && text !== key && text.indexOf(key) === -1 ? text : false;
    };
  }

  // ---- form rows: <div data-snom-row="field" ...></div> placeholders in a node's template ----

  function attrsOf(text) {
    var attrs = {};
    String(text).replace(/([\w-]+)(?:="([^"]*)")?/g, function (_m, name, value) {
      attrs[name] = value === undefined ? true : value;
      return '';
    });
    return attrs;
  }

  /** The row's class (form-row plus the placeholder's) and style. */
  function rowClass(attrs) {
    return 'form-row' + (attrs['class'] ? ' ' + attrs['class'] : '') + (attrs.style ? '" style="' + attrs.style : '');
  }

  /** A labelled row; the control is the placeholder's content, else a text input. */
  function row(type, prefix, field, attrs, content) {
    var id = prefix + '-' + field;
    var control =
      content.trim() ||
      '<input type="text" id="' +
        id +
        '"' +
        (attrs['data-width'] ? ' style="width: ' + attrs['data-width'] + ';"' : '') +
        (attrs['data-placeholder'] ? ' data-i18n="[placeholder]' + type + '.placeholder.' + field + '"' : '') +
        '>';
    var top = attrs['data-top'] ? ' style="vertical-align: top; margin-top: 6px;"' : '';
    return (
      '<div class="' +
      rowClass(attrs) +
      '">' +
      '<label for="' +
      id +
      '"' +
      top +
      '><i class="fa fa-' +
      (attrs['data-icon'] || 'tag') +
      '"></i> ' +
      '<span data-i18n="' +
      type +
      '.label.' +
      field +
      '"></span></label>' +
      control +
      '</div>'
    );
  }

  function check(type, prefix, field, attrs, content) {
    var id = prefix + '-' + field;
    return (
      '<div class="' +
      rowClass(attrs) +
      '"><label>&nbsp;</label>' +
      '<input type="checkbox" id="' +
      id +
      '" style="display: inline-block; width: auto; vertical-align: top;">' +
      '<label for="' +
      id +
      '" style="width: calc(70% - 30px);" data-i18n="' +
      type +
      '.label.' +
      field +
      '"></label>' +
      content +
      '</div>'
    );
  }

  function tip(type, field, attrs) {
    return (
      '<div class="form-tips"' +
      (attrs['data-last'] ? '' : ' style="margin-bottom: 12px;"') +
      '>' +
      '<span data-i18n="' +
      type +
      '.tip.' +
      field +
      '"></span></div>'
    );
  }

  /**
   * The template with its placeholders written out: data-snom-row (label + control),
   * data-snom-check (a checkbox row) and data-snom-tip (a hint). A placeholder's content,
   * if any, holds no </div>.
   */
  function expandTemplate(html, type, prefix) {
    return String(html).replace(
      /<div data-snom-(row|check|tip)="([\w-]+)"([^>]*)>([\s\S]*?)<\/div>/g,
      function (_m, kind, field, rest, content) {
        var attrs = attrsOf(rest);
        if (kind === 'row') return row(type, prefix, field, attrs, content);
        if (kind === 'check') return check(type, prefix, field, attrs, content);
        return tip(type, field, attrs);
      },
    );
  }

  function writeTemplate(type, prefix, wrap) {
    var script = $('script[data-template-name="' + type + '"]');
    if (!script.length) return;
    script.text(expandTemplate(wrap(script.text()), type, prefix));
  }

  function tracked(fn, enter) {
    return function () {
      var i = open.indexOf(this);
      if (enter && i === -1) open.push(this);
      if (!enter && i !== -1) open.splice(i, 1);
      return fn ? fn.apply(this, arguments) : undefined;
    };
  }

  /**
   * RED.nodes.registerType with what every Snom node has: category, colour, icon, palette label,
   * "name first" labels, and the runtime's validator on every field the runtime checks.
   * def.label may return the label without a name; `wrap` may add rows around the template.
   */
  function register(type, def, wrap) {
    var prefix = prefixOf(def);
    var own = def.label;
    def.category = def.category || CATEGORY;
    def.color = COLOR;
    def.icon = def.icon || ICON;
    def.paletteLabel =
      def.paletteLabel ||
      function () {
        return this._(type + '.paletteLabel');
      };
    if (def.category !== 'config') {
      def.label = function () {
        return this.name || (own ? own.call(this) : this._(type + '.paletteLabel'));
      };
      def.labelStyle = function () {
        return this.name ? 'node_label_italic' : '';
      };
    }
    var fields = rules() ? rules().checkedFields(type) : [];
    fields.forEach(function (f) {
      var d = def.defaults[f];
      if (d && !d.validate) d.validate = validator(type, f, def.defaults, prefix);
    });
    def.oneditprepare = tracked(def.oneditprepare, true);
    def.oneditsave = tracked(def.oneditsave, false);
    def.oneditcancel = tracked(def.oneditcancel, false);
    def.oneditdelete = tracked(def.oneditdelete, false);
    writeTemplate(
      type,
      prefix,
      wrap ||
        function (html) {
          return html;
        },
    );
    RED.nodes.registerType(type, def);
  }

  /** A node that sends to a snom-phone: one input, one output, the phone first and the name last. */
  function registerCommandNode(type, def) {
    def.defaults.phone = { value: '', type: 'snom-phone', required: true };
    def.defaults.name = { value: '' };
    def.inputs = 1;
    def.outputs = 1;
    register(type, def, function (html) {
      return (
        '<div data-snom-row="phone" data-icon="phone"></div>' +
        html +
        '<div data-snom-row="name" data-icon="tag" data-placeholder></div>'
      );
    });
  }

  /** Fill a <select> with values (label(value) as text), keeping the current value selectable. */
  function fillSelect(select, values, label, current) {
    select.empty();
    values.forEach(function (v) {
      $('<option>')
        .val(v)
        .text(label ? label(v) : v)
        .appendTo(select);
    });
    if (current !== undefined && current !== null && values.indexOf(current) === -1) {
      $('<option>').val(current).text(current).appendTo(select);
    }
    select.val(current);
  }

  /** Show the rows `.<prefix><field>` whose field is read by the chosen value (fields: field → values). */
  function toggleRows(rowPrefix, fields, chosen, all) {
    Object.keys(fields).forEach(function (field) {
      $('.' + rowPrefix + field).toggle(all || fields[field].indexOf(chosen) !== -1);
    });
  }

  global.SnomEditor = {
    MODULE: MODULE,
    register: register,
    registerCommandNode: registerCommandNode,
    expandTemplate: expandTemplate,
    fillSelect: fillSelect,
    toggleRows: toggleRows,
    shorten: shorten,
    rules: rules,
  };
})(typeof window !== 'undefined' ? window : globalThis);
