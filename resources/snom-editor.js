// What every Snom node's editor shares (window.SnomEditor): palette category and colour, the
// registration of a node with the runtime's validators (window.SnomRules, built from the library
// into resources/snom-rules.js), the standard form rows, typedInputs and label helpers. Each
// nodes/<type>.html loads this file and snom-rules.js; the browser may run them in either order, so
// nothing here touches SnomRules before a node registers.
//
// Adding a node (the conventions every Snom editor follows):
// - nodes/<type>.html calls SnomEditor.commands.registerType(type, def) (a node with a phone) or
//   SnomEditor.registerType(type, def): category "Snom", COLOR and the icon icons/<type>.svg (white on
//   transparent, 40×60; the build copies icons/ to nodes/icons/) are set here; def.label returns
//   what the node will do ("press P1;ENTER", "dial 123"), the name wins when there is one.
// - Form rows are placeholders: <div data-snom-row="field"></div> (label + text input with the id
//   node-input-<field>, the id the browser suite finds it by), data-snom-check, data-snom-tip.
//   Texts come from nodes/locales/<lang>/<type>.json: <type>.label.<field>, .placeholder.<field>,
//   .tip.<field>.
// - A field whose value may come from msg / flow / global / env is listed with its sources in
//   src/nodes/shared/typed-props.ts (TYPED_FIELDS): its row becomes a typedInput saved with
//   <field>Type ('str', the form's text, is the default and what old flows read as), and the
//   runtime evaluates it per message (registerCommandNode in src/nodes/shared/command-node.ts).
// - A field the runtime checks gets a check in src/nodes/editor/rules.ts (CHECKS): the editor then
//   marks it red with the runtime's own message before deploy, in the editor's language where the
//   runtime's catalog has it (its text key, rendered with RED._: sayRuntime below).
// - Help: nodes/help/<lang>/<type>.html with Inputs, Outputs, Details and References, en-US and de.
(function (global) {
  'use strict';
  if (global.SnomEditor) return;

  var MODULE = '@snom-flows/node-red-contrib-snom';
  var CATEGORY = 'Snom';
  var COLOR = '#8FBCBB';

  // nodes whose edit dialog is open: their validators read the form, not the saved values
  var open = [];

  function rules() {
    return global.SnomRules;
  }

  /** The fields of `type` that may come from msg / flow / global / env, each with its sources. */
  function typedOf(type) {
    var r = rules();
    return r && r.typedFields ? r.typedFields(type) : {};
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

  /** A value from msg / flow / global / env: Node-RED's own check of the property (3.1+), else none. */
  function checkSource(value, source, opt) {
    var check = RED.utils && RED.utils.validateTypedProperty;
    if (!check) return true;
    var verdict = check(value, source, opt || {});
    return verdict === true || typeof verdict === 'string' ? verdict : false;
  }

  // the runtime's texts: the "runtime" part of the snom-phone set's catalog, which the editor loads
  // for every node set at start (RED.i18n.loadNodeCatalogs), so every node's dialog can read it
  var RUNTIME_TEXTS = MODULE + '/snom-phone:runtime.';

  /** A runtime text in the editor's language (SnomRules' `say`); the key itself where the catalog has none. */
  function sayRuntime(key, params) {
    var full = RUNTIME_TEXTS + key;
    var text = RED._(full, params || {});
    // i18next answers a missing key with the key (without its namespace); RED._ a non-text with the full key
    return typeof text === 'string' && text !== full && text !== 'runtime.' + key ? text : key;
  }

  /** A Node-RED 3.x validator (value, opt): true, or the runtime's reason as a string. */
  function validator(type, field, defaults, prefix) {
    var typed = Object.prototype.hasOwnProperty.call(typedOf(type), field);
    // two parameters: Node-RED then shows a returned string as the reason
    return function (value, opt) {
      var r = rules();
      if (!r) return true; // the runtime checks it anyway; a failed script load must not block editing
      var values = formOf(this, defaults, prefix);
      var source = typed ? values[field + 'Type'] || 'str' : 'str';
      if (source !== 'str') {
        // a multi-line field keeps its property in the source input while the dialog is open
        var multi = open.indexOf(this) !== -1 ? $('#' + prefix + '-' + field + '-source') : null;
        return checkSource(multi && multi.length ? multi.typedInput('value') : value, source, opt);
      }
      if (r.checkedFields(type).indexOf(field) === -1) return true;
      var verdict = r.checkField(type, field, value, values, phoneOf(type, values), sayRuntime);
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
    var typed = Object.prototype.hasOwnProperty.call(typedOf(type), field);
    var width = attrs['data-width'] || (typed ? '70%' : '');
    var input = function (inputId) {
      return (
        '<input type="text" id="' +
        inputId +
        '"' +
        (width ? ' style="width: ' + width + ';"' : '') +
        (attrs['data-placeholder'] ? ' data-i18n="[placeholder]' + type + '.placeholder.' + field + '"' : '') +
        '>'
      );
    };
    var control = content.trim() || input(id);
    var after = '';
    if (typed) {
      // the typedInput keeps its source in <field>Type; a multi-line field (its own textarea) gets a
      // separate source input, and its text area shows on a row of its own while the source is 'str'
      if (content.trim()) {
        after =
          '<div class="' + rowClass(attrs) + ' snom-typed-text-' + field + '"><label></label>' + content + '</div>';
        control = input(id + '-source');
      }
      control += '<input type="hidden" id="' + id + 'Type">';
    }
    var top = attrs['data-top'] && !after ? ' style="vertical-align: top; margin-top: 6px;"' : '';
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
      '</div>' +
      after
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

  /** Turns every typed field's input into a typedInput with the runtime's sources for it. */
  function typedPrepare(node, type, prefix) {
    var fields = typedOf(type);
    Object.keys(fields).forEach(function (field) {
      var id = '#' + prefix + '-' + field;
      var text = $(id);
      var typeField = $(id + 'Type');
      var source = $(id + '-source');
      var multi = source.length > 0;
      var input = multi ? source : text;
      if (!input.length || !typeField.length || !input.typedInput) return;
      var current = typeField.val() || node[field + 'Type'] || fields[field][0];
      if (fields[field].indexOf(current) === -1) current = fields[field][0];
      typeField.val(current);
      if (multi && current !== 'str') {
        source.val(text.val());
        text.val('');
      }
      var types = fields[field].map(function (t) {
        // a multi-line text is written in its own text area below the source
        return t === 'str' && multi ? { value: 'str', label: node._(type + '.typed.' + field), hasValue: false } : t;
      });
      input.typedInput({ default: fields[field][0], types: types, typeField: id + 'Type' });
      if (multi) {
        var show = function () {
          $('.snom-typed-text-' + field).toggle(input.typedInput('type') === 'str');
        };
        input.on('change', show);
        show();
      }
    });
  }

  /** A multi-line field saves the source's property when its source is not its own text. */
  function typedSave(type, prefix) {
    Object.keys(typedOf(type)).forEach(function (field) {
      var id = '#' + prefix + '-' + field;
      var source = $(id + '-source');
      if (source.length && $(id + 'Type').val() !== 'str') $(id).val(source.typedInput('value'));
    });
  }

  /** Sets an input's placeholder, also on the typedInput that shows in its place. */
  function placeholder(input, text) {
    input = $(input);
    input.attr('placeholder', text);
    input.next('.red-ui-typedInput-container').find('input.red-ui-typedInput-input').attr('placeholder', text);
  }

  /**
   * What a field says in a label: its text, or where the value comes from (msg.keys, flow.x,
   * env PHONE, or the value itself for a number, a boolean or JSON).
   */
  function valueText(node, field, max) {
    var source = node[field + 'Type'] || 'str';
    var v = node[field] === undefined || node[field] === null ? '' : String(node[field]);
    if (source === 'msg' || source === 'flow' || source === 'global') v = source + '.' + v;
    else if (source === 'env') v = 'env ' + v;
    return shorten(v, max || 28);
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
    def.icon = def.icon || type + '.svg';
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
    var typed = typedOf(type);
    // a typed field saves its source beside it; 'str' (the form's text) is also what old flows read as
    Object.keys(typed).forEach(function (f) {
      if (def.defaults[f] && !def.defaults[f + 'Type']) def.defaults[f + 'Type'] = { value: typed[f][0] };
    });
    var fields = (rules() ? rules().checkedFields(type) : []).concat(Object.keys(typed));
    fields.forEach(function (f) {
      var d = def.defaults[f];
      if (d && !d.validate) d.validate = validator(type, f, def.defaults, prefix);
    });
    var prepare = def.oneditprepare;
    def.oneditprepare = tracked(function () {
      typedPrepare(this, type, prefix);
      return prepare ? prepare.apply(this, arguments) : undefined;
    }, true);
    var save = def.oneditsave;
    def.oneditsave = tracked(function () {
      typedSave(type, prefix);
      return save ? save.apply(this, arguments) : undefined;
    }, false);
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
    // named registerType, as RED.nodes' own: the Flow Library's scorecard (node-red-dev) finds node
    // definitions by a registerType call with the type and an object literal (scripts/scorecard/)
    registerType: register,
    commands: { registerType: registerCommandNode },
    expandTemplate: expandTemplate,
    fillSelect: fillSelect,
    toggleRows: toggleRows,
    shorten: shorten,
    valueText: valueText,
    placeholder: placeholder,
    rules: rules,
  };
})(typeof window !== 'undefined' ? window : globalThis);
