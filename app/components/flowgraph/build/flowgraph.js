// piagraph's flow diagram: a Streamlit component (the documented iframe protocol of
// streamlit.components.v1, without a bundler) drawing the flow graph with cytoscape.js and the
// dagre layered layout, left to right. A click on a node is sent back to Python as the component's
// value; nothing here reaches into the page around the iframe.
(function () {
  "use strict";

  var cy = null;
  var shownElements = "";
  var clicks = 0;
  var frame = document.getElementById("frame");
  var status = document.getElementById("status");
  var idleText = status.textContent;

  function send(type, payload) {
    var message = Object.assign({ isStreamlitMessage: true, type: type }, payload);
    window.parent.postMessage(message, "*");
  }

  var STYLE = [
    { selector: "node", style: {
        "label": "data(label)", "text-wrap": "wrap", "text-valign": "center", "text-halign": "center",
        "font-size": 11, "font-family": "Noto Sans CJK JP, Noto Sans JP, sans-serif", "color": "#1a1a1a",
        "shape": "data(shape)", "background-color": "data(fill)", "width": "data(width)", "height": "data(height)",
        "border-width": "data(borderWidth)", "border-style": "data(borderStyle)", "border-color": "#555555" } },
    { selector: "node.cluster", style: {
        "shape": "round-rectangle", "background-color": "#f7f7f7", "background-opacity": 0.6,
        "border-color": "#b0b0b0", "border-width": 1, "border-style": "solid", "text-valign": "top",
        "text-halign": "center", "font-size": 12, "color": "#444444", "padding": 12 } },
    { selector: "node.start", style: { "border-width": 4, "border-color": "#d62728", "border-style": "double" } },
    { selector: "node:active, node.hover", style: { "overlay-opacity": 0.12, "overlay-color": "#1f5fa8" } },
    { selector: "edge", style: {
        "curve-style": "bezier", "width": "data(width)", "line-color": "data(colour)", "line-style": "data(lineStyle)",
        "target-arrow-shape": "data(arrow)", "target-arrow-color": "data(colour)", "target-arrow-fill": "data(arrowFill)",
        "arrow-scale": 0.9, "label": "data(label)", "text-wrap": "wrap", "font-size": 9, "color": "data(colour)",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "font-family": "Noto Sans CJK JP, Noto Sans JP, sans-serif" } },
  ];

  function layoutOptions() {
    return {
      name: "dagre", rankDir: "LR", nodeSep: 18, rankSep: 70, edgeSep: 8, fit: true, padding: 24, animate: false,
      minLen: function (edge) { return edge.data("minLen"); },
      edgeWeight: function (edge) { return edge.data("weight"); },
    };
  }

  function draw(elements, start) {
    if (cy) { cy.destroy(); }
    cy = cytoscape({
      container: document.getElementById("graph"), elements: elements, style: STYLE,
      wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false, autoungrabify: false,
    });
    cy.layout(layoutOptions()).run();
    if (start) { cy.getElementById(start).addClass("start"); }
    cy.on("tap", "node", function (event) {
      var node = event.target;
      if (node.hasClass("cluster")) { return; }
      clicks += 1;
      send("streamlit:setComponentValue", { value: { node: node.id(), click: clicks + ":" + Date.now() }, dataType: "json" });
      status.textContent = "「" + node.data("name") + "」から追跡しています…";
    });
    cy.on("mouseover", "node", function (event) {
      var node = event.target;
      if (node.hasClass("cluster")) { return; }
      node.addClass("hover");
      status.textContent = node.data("kindLabel") + ": " + node.data("name") + "(クリックで追跡)";
    });
    cy.on("mouseout", "node", function (event) { event.target.removeClass("hover"); status.textContent = idleText; });
    window.flowgraph = { cy: cy };
  }

  document.getElementById("zoom-in").onclick = function () { if (cy) { cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); } };
  document.getElementById("zoom-out").onclick = function () { if (cy) { cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); } };
  document.getElementById("fit").onclick = function () { if (cy) { cy.fit(undefined, 24); } };

  window.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "streamlit:render") { return; }
    var args = event.data.args;
    var height = args.height || 700;
    frame.style.height = height + "px";
    send("streamlit:setFrameHeight", { height: height + 2 });
    var key = JSON.stringify([args.elements, args.start || null]);
    if (key !== shownElements) {
      shownElements = key;
      draw(args.elements, args.start);
      document.body.setAttribute("data-drawn", String(args.elements.nodes.length));
    }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
