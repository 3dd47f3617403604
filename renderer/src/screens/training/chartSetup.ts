// chart.js, registered once with only the parts the Training and Results screens draw (line and bar charts on
// linear and category axes, legend, tooltip, title), and themed for the dark UI. Animations are off: the live
// charts redraw on every progress event.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, CategoryScale, Legend, Tooltip, Title);
Chart.defaults.color = '#9aa3ad';
Chart.defaults.borderColor = '#32373f';
Chart.defaults.font.size = 11;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export { Chart };
