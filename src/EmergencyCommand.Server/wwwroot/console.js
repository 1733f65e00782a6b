// The console's few needs the server cannot meet by itself: where a click fell on an SVG, and printing a page.
window.emergencyConsole = {
  svgPoint(svg, clientX, clientY) {
    const point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const local = point.matrixTransform(svg.getScreenCTM().inverse());
    return [local.x, local.y];
  },
  print() {
    window.print();
  },
};
