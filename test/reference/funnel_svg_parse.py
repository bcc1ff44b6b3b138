"""Independent well-formedness check for the SVG charts: Python's XML parser reads each SVG.

stdin: JSON list of SVG strings.
stdout: JSON list of {"ok": bool, "error": str?, "root": {attrs}, "rects": [{x, width, title}], "texts": [str]}
"""
import json
import sys
import xml.etree.ElementTree as ET

NS = '{http://www.w3.org/2000/svg}'


def inspect(svg):
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        return {'ok': False, 'error': str(error)}
    rects = []
    for r in root.iter(NS + 'rect'):
        title = r.find(NS + 'title')
        rects.append({
            'x': float(r.get('x')),
            'width': float(r.get('width')),
            'fill': r.get('fill'),
            'title': title.text if title is not None else None,
        })
    texts = [t.text or '' for t in root.iter(NS + 'text')]
    external = [el.tag for el in root.iter() if any('href' in k for k in el.attrib) or el.tag in (NS + 'script', NS + 'style', NS + 'foreignObject')]
    return {'ok': root.tag == NS + 'svg', 'root': dict(root.attrib), 'rects': rects, 'texts': texts, 'external': external}


print(json.dumps([inspect(s) for s in json.load(sys.stdin)]))
